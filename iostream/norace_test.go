//go:build !race

package iostream_test

const raceEnabled = false
