package commands

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitInterrupted is the status of a run stopped by a second signal, as a
// shell reports a process killed by SIGINT.
const exitInterrupted = 130

// interruptible returns a context that a first SIGINT or SIGTERM cancels:
// the command then undoes what it started (or says what remains) and ends.
// A second signal exits at once. A closed stdout makes writes fail with
// EPIPE instead of killing the process, so cleanup still runs. stop
// restores the default handling.
func interruptible(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGPIPE)
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchSignals(sigs, cancel, os.Exit, stderr)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(sigs)
		<-done
		cancel()
	}
}

// watchSignals cancels on the first SIGINT or SIGTERM and calls exit on the
// second; it ignores SIGPIPE and returns when sigs is closed.
func watchSignals(sigs <-chan os.Signal, cancel func(), exit func(int), stderr io.Writer) {
	interrupted := false
	for s := range sigs {
		if s == syscall.SIGPIPE {
			continue
		}
		if interrupted {
			fmt.Fprintln(stderr, "formwork: stopped at once: what the command started may remain (see the lines above)")
			exit(exitInterrupted)
			return
		}
		interrupted = true
		fmt.Fprintf(stderr, "formwork: %s: undoing what this run started (%s again to stop at once)\n", signalName(s), signalName(s))
		cancel()
	}
}

func signalName(s os.Signal) string {
	if s == os.Interrupt {
		return "interrupted"
	}
	return "terminated"
}
