package gen_test

import (
	"testing"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func TestSmoke(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(false)
	v, err := gen.RunSync(l, func(co *gen.Co) (int, error) {
		if err := gen.Sleep(co, 10*time.Millisecond); err != nil {
			return 0, err
		}
		f := future.New[int](l)
		l.CallLater(time.Millisecond, func() { f.SetResult(41) })
		x, err := gen.Await(co, f)
		return x + 1, err
	}, time.Second)
	if v != 42 || err != nil {
		t.Fatal(v, err)
	}
	// many coroutines awaiting each other
	m := map[int]int{}
	v, err = gen.RunSync(l, func(co *gen.Co) (int, error) {
		var prev *future.Future[int]
		fs := []*future.Future[int]{}
		for i := 0; i < 1000; i++ {
			p := prev
			i := i
			f := gen.Go(l, func(co *gen.Co) (int, error) {
				gen.Moment(co)
				s := 0
				if p != nil {
					x, err := gen.Await(co, p)
					if err != nil {
						return 0, err
					}
					s = x
				}
				m[i] = s
				return s + 1, nil
			})
			fs = append(fs, f)
			prev = f
		}
		r, err := gen.Await(co, gen.All(l, fs))
		if err != nil {
			return 0, err
		}
		return r[999], nil
	}, 10*time.Second)
	if v != 1000 || err != nil {
		t.Fatal(v, err)
	}
}
