package web_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// LoginHandler logs a visitor in by name: it sets the signed cookie that
// Config.UserCookie names, then sends the visitor back where they were.
type LoginHandler struct{ web.RequestHandler }

func (h *LoginHandler) Get(co *gen.Co) error {
	return h.Write(`<form method="post"><input name="name"></form>`)
}

func (h *LoginHandler) Post(co *gen.Co) error {
	name, err := h.GetArgument("name")
	if err != nil {
		return err // a 400: MissingArgumentError
	}
	if err := h.SetSignedCookie(h.Application.Config().UserCookie, name, web.CookieConfig{HttpOnly: true}); err != nil {
		return err
	}
	next, _ := h.GetArgument("next", "/")
	return h.Redirect(next, false)
}

// HomeHandler is for logged-in users only (web.Authenticated on its route).
type HomeHandler struct{ web.RequestHandler }

func (h *HomeHandler) Get(co *gen.Co) error {
	name, _ := web.User[string](h) // the UserCookie's value
	return h.Write("Hello, " + name)
}

// Logging in with Config.UserCookie: no GetCurrentUser to write. A visitor
// without the cookie is sent to LoginURL; with it, web.User gives the name.
func Example_userCookie() {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Authenticated(web.Make[HomeHandler]())},
		{Pattern: `/login`, Handler: web.Make[LoginHandler]()},
	}, web.Config{
		CookieSecret: "a long random secret",
		UserCookie:   "user",
		LoginURL:     "/login",
		NoAccessLog:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := app.Listen(loop, "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := fmt.Sprintf("http://%s", srv.Addrs()[0])

	go func() {
		defer loop.AddCallback(func() { srv.Close(); loop.Stop() })
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // show each redirect
		}}
		show := func(resp *http.Response, err error) {
			if err != nil {
				fmt.Println(err)
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if loc := resp.Header.Get("Location"); loc != "" {
				fmt.Println(resp.StatusCode, "to", loc)
				return
			}
			fmt.Println(resp.StatusCode, string(body))
		}
		show(client.Get(base + "/"))
		show(client.PostForm(base+"/login?next=%2F", url.Values{"name": {"ann"}}))
		show(client.Get(base + "/"))
		client.CloseIdleConnections()
	}()
	loop.Start()
	// Output:
	// 302 to /login?next=%2F
	// 302 to /
	// 200 Hello, ann
}
