package web

import (
	"fmt"
	"reflect"
)

// hooks are the methods the application calls by name, each with the one
// signature it calls: a handler method of that name with another
// signature would compile, and never be called.
var hooks = []struct {
	name  string
	iface reflect.Type
}{
	{"Get", reflect.TypeFor[GetHandler]()},
	{"Head", reflect.TypeFor[HeadHandler]()},
	{"Post", reflect.TypeFor[PostHandler]()},
	{"Put", reflect.TypeFor[PutHandler]()},
	{"Patch", reflect.TypeFor[PatchHandler]()},
	{"Delete", reflect.TypeFor[DeleteHandler]()},
	{"Options", reflect.TypeFor[OptionsHandler]()},
	{"ServeMethod", reflect.TypeFor[OtherMethodHandler]()},
	{"Prepare", reflect.TypeFor[Preparer]()},
	{"OnFinish", reflect.TypeFor[Finisher]()},
	{"OnConnectionClose", reflect.TypeFor[ConnectionCloser]()},
	{"SetDefaultHeaders", reflect.TypeFor[DefaultHeaderSetter]()},
	{"SupportedMethods", reflect.TypeFor[MethodLister]()},
	{"CheckXSRFCookie", reflect.TypeFor[XSRFChecker]()},
	{"GetCurrentUser", reflect.TypeFor[CurrentUserGetter]()},
	{"GetUserLocale", reflect.TypeFor[UserLocaleGetter]()},
	{"WriteError", reflect.TypeFor[ErrorWriter]()},
	{"DataReceived", reflect.TypeFor[BodyStreamer]()},
	{"ComputeETag", reflect.TypeFor[ETagComputer]()},
	{"CheckETagHeader", reflect.TypeFor[ETagChecker]()},
}

// checkHandler finds, when the application is built, the mistakes that
// would otherwise show only as a 405 or a 500 at run time: a hook method
// with the wrong signature (func (h *H) Get() error), and a route whose
// GET requires a login with no LoginURL to send visitors to.
func (a *Application) checkHandler(ru *rule, h Handler) error {
	v := reflect.ValueOf(h)
	t := v.Type()
	for _, hk := range hooks {
		if _, ok := t.MethodByName(hk.name); ok && !t.Implements(hk.iface) {
			want := hk.iface.Method(0).Type
			return fmt.Errorf("web: route %q: %v.%s is %v, but the application calls %s%s",
				ru.Pattern, t, hk.name, v.MethodByName(hk.name).Type(), hk.name, want.String()[len("func"):])
		}
	}
	_, get := h.(GetHandler)
	_, head := h.(HeadHandler)
	if h.requestHandler().authMark && a.settings.LoginURL == "" && (get || head) {
		// Other methods answer 403; a GET or HEAD redirects there.
		return fmt.Errorf("web: route %q requires a login (Authenticated) for GET, but Config.LoginURL is not set", ru.Pattern)
	}
	return nil
}
