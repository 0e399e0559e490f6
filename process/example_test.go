package process_test

import (
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/process"
)

// The package doc's shape: read a child's output line by line on the loop,
// then its exit status.
func Example() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()
	_, err := gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		p, err := process.Start(loop, exec.Command("printf", "one\ntwo\n"), process.Config{Stdout: true})
		if err != nil {
			return struct{}{}, err
		}
		for {
			line, err := gen.Await(co, p.Stdout.ReadUntil([]byte("\n"), 64<<10))
			if err != nil {
				break // the end of the output
			}
			fmt.Print("read: ", string(line))
		}
		code, err := gen.Await(co, p.WaitForExit(true))
		fmt.Println("exit:", code, err)

		p, err = process.Start(loop, exec.Command("sh", "-c", "exit 3"), process.Config{})
		if err != nil {
			return struct{}{}, err
		}
		_, err = gen.Await(co, p.WaitForExit(true))
		var ee *process.ExitError
		fmt.Println(errors.As(err, &ee), ee.Code)
		return struct{}{}, nil
	}, 10*time.Second)
	fmt.Println(err)
	// Output:
	// read: one
	// read: two
	// exit: 0 <nil>
	// true 3
	// <nil>
}
