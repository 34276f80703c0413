// Command ferretdb runs the embedded database engine: FerretDB v1.24 (the MongoDB wire protocol)
// over a private PostgreSQL cluster it starts itself, or over embedded SQLite when PostgreSQL is not
// installed. It embeds FerretDB's library rather than building its cmd/ferretdb, whose module zip
// lacks the generated version file and panics at start.
//
// Its life is tied to its parent's: the parent holds this process's stdin, and when that closes (the
// parent exited, even by kill -9) the engine stops postgres and exits. A lock file keeps a second
// engine off the same files.
//
// FerretDB v1 runs an update or findAndModify as "query, then write" without a transaction, so two
// concurrent guarded updates of one document can both match and one write is lost (measured on SQLite:
// 100 concurrent `$inc: -1` guarded by `stock >= 1` on stock 50 left stock 45 with 100 "successes";
// on PostgreSQL: see README). MongoDB applies each single-document update atomically and the design
// relies on that, so with -serialize clients talk to the wire proxy of proxy.go.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretdbVersion is reported by buildInfo; the module zip lacks the version file the library reads.
const ferretdbVersion = "v1.24.2"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	handler := flag.String("handler", "sqlite", "storage: postgresql or sqlite")
	dir := flag.String("dir", "", "directory holding the engine's files")
	pgBin := flag.String("postgres-bin", "/usr/lib/postgresql/15/bin", "directory of initdb and postgres")
	pgUser := flag.String("postgres-user", "postgres", "OS user that runs postgres when this runs as root")
	ephemeral := flag.Bool("ephemeral", false, "throw-away data: no fsync, and -dir is removed on exit")
	serialize := flag.Bool("serialize", true, "run mutating commands one at a time (see proxy.go)")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin closes (the parent died)")
	flag.Parse()
	if *dir == "" {
		fail(fmt.Errorf("-dir is required"))
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	if err := lockDir(*dir); err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	config := &ferretdb.Config{
		Handler: *handler,
		// FerretDB logs every failed query (a unique-index conflict included) at ERROR; each error
		// reaches its client anyway, so only the engine's own messages are printed.
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 4})),
	}
	var pg *cluster
	var died <-chan struct{} // stays nil (never ready) without postgres
	switch *handler {
	case "postgresql":
		pg = &cluster{bin: *pgBin, dir: *dir, osUser: *pgUser, ephemeral: *ephemeral}
		if err := pg.prepare(); err != nil {
			fail(err)
		}
		if err := pg.start(ctx); err != nil {
			fail(err)
		}
		config.PostgreSQLURL = pg.url()
		died = pg.exited
		if err := startGinIndexer(ctx, pg.url()); err != nil {
			fail(err)
		}
	case "sqlite":
		config.SQLiteURL = "file:" + *dir + "/" // one file per database: <name>.sqlite
	default:
		fail(fmt.Errorf("unknown -handler %q", *handler))
	}
	exit := func(code int) {
		if pg != nil {
			pg.stop()
		}
		if *ephemeral && code == 0 {
			_ = os.RemoveAll(*dir)
		}
		os.Exit(code)
	}

	config.Listener.TCP = *listen
	if *serialize {
		config.Listener.TCP = "127.0.0.1:0"
	}
	version.Get().Version = ferretdbVersion
	f, err := ferretdb.New(config)
	if err != nil {
		logf("%v", err)
		exit(1)
	}
	runCtx, stopRun := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		_ = f.Run(runCtx)
		close(ran)
	}()
	// MongoDBURI blocks until Run has opened the listener.
	uri := f.MongoDBURI()
	if *serialize {
		inner, err := url.Parse(uri)
		if err != nil {
			logf("%v", err)
			exit(1)
		}
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			logf("%v", err)
			exit(1)
		}
		defer ln.Close()
		go serveProxy(ln, inner.Host)
		uri = fmt.Sprintf("mongodb://%s/", ln.Addr().String())
	}
	// The parent reads this line.
	fmt.Println(uri)

	code := 0
	select {
	case <-ctx.Done():
	case <-died:
		logf("postgres exited unexpectedly (%v); stopping so the parent restarts the engine", pg.waitErr)
		code = 1
	}
	stopRun()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
	}
	exit(code)
}

// lockDir takes an exclusive lock on dir/engine.lock for the life of this process (the kernel drops
// it when the process dies). An engine whose parent has just died may still be stopping, so wait a
// while before refusing.
func lockDir(dir string) error {
	path := filepath.Join(dir, "engine.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	lockFile = f // referenced for the life of the process: a collected *os.File closes its descriptor
	for i := 0; ; i++ {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if i == 300 { // 30 s
			holder, _ := os.ReadFile(path)
			return fmt.Errorf("another engine (pid %s) is running on %s", string(holder), dir)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())), 0)
	return nil
}

var lockFile *os.File

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[engine] "+format+"\n", args...)
}

func fail(err error) {
	logf("%v", err)
	os.Exit(1)
}
