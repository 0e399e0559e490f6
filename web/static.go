package web

// PLACEHOLDER: the static file handler is being written; see the issue.

type staticState struct{}

func (a *Application) staticRoutes() []Route { return nil }

// StaticURL returns the URL of a static file.
func (a *Application) StaticURL(p string) (string, error) {
	return a.settings.StaticURLPrefix + p, nil
}
