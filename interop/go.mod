module github.com/gornado/gornado/interop

go 1.26.8

replace github.com/gornado/gornado => ../

require (
	github.com/coder/websocket v1.8.15
	github.com/gorilla/websocket v1.5.3
	github.com/gornado/gornado v0.0.0-00010101000000-000000000000
	github.com/mccutchen/go-httpbin/v2 v2.26.0
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
