package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is a private PostgreSQL cluster: initdb on first start, then postgres on a free loopback
// port with password authentication, run as an unprivileged user when this process is root
// (postgres refuses to run as root).
type cluster struct {
	bin       string // directory of initdb and postgres
	dir       string // holds pgdata/, the password and postgres.log
	osUser    string // used when running as root
	ephemeral bool   // a throw-away cluster: no fsync

	cred     *syscall.Credential
	password string
	port     int
	cmd      *exec.Cmd
	exited   chan struct{} // closed when postgres exits, with waitErr set
	waitErr  error
}

const pgRole = "linli"

func (c *cluster) pgdata() string { return filepath.Join(c.dir, "pgdata") }

func (c *cluster) url() string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres", pgRole, c.password, c.port)
}

// prepare creates the cluster on first use and ends a postgres left behind by a dead engine.
func (c *cluster) prepare() error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup(c.osUser)
		if err != nil {
			return fmt.Errorf("running as root needs an unprivileged user for postgres: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := reachable(c.dir, uid, gid); err != nil {
			return err
		}
	}
	pwFile := filepath.Join(c.dir, "password")
	if _, err := os.Stat(filepath.Join(c.pgdata(), "PG_VERSION")); err == nil {
		pw, err := os.ReadFile(pwFile)
		c.password = strings.TrimSpace(string(pw))
		if err != nil {
			return err
		}
		return c.endOrphan()
	}
	return c.initdb(pwFile)
}

func (c *cluster) initdb(pwFile string) error {
	started := time.Now()
	_ = os.RemoveAll(c.pgdata()) // a half-made cluster from an interrupted first start
	if err := os.Mkdir(c.pgdata(), 0o700); err != nil {
		return err
	}
	var raw [24]byte
	_, _ = rand.Read(raw[:])
	c.password = hex.EncodeToString(raw[:])
	if err := os.WriteFile(pwFile, []byte(c.password+"\n"), 0o600); err != nil {
		return err
	}
	// initdb reads the superuser's password from a file it must be able to open.
	tmp := filepath.Join(c.dir, ".initdb-password")
	if err := os.WriteFile(tmp, []byte(c.password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := c.own(c.pgdata(), tmp); err != nil {
		return err
	}
	args := []string{
		"-D", c.pgdata(), "-U", pgRole, "--pwfile", tmp, "--auth", "scram-sha-256",
		"-E", "UTF8", "--no-locale", "--no-instructions",
	}
	if c.ephemeral {
		args = append(args, "--no-sync")
	}
	cmd := exec.Command(filepath.Join(c.bin, "initdb"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(c.pgdata())
		return fmt.Errorf("initdb failed: %w\n%s", err, out)
	}
	logf("postgres: new cluster in %s (%d ms)", c.pgdata(), time.Since(started).Milliseconds())
	return nil
}

func (c *cluster) own(paths ...string) error {
	if c.cred == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
	}
	return nil
}

// start runs postgres and waits until it accepts connections. A port taken between choosing and
// binding it is retried with another one.
func (c *cluster) start(ctx context.Context) error {
	var err error
	for range 3 {
		if err = c.startOnce(ctx); err == nil {
			return nil
		}
	}
	return err
}

func (c *cluster) startOnce(ctx context.Context) error {
	started := time.Now()
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logFile, err := os.OpenFile(filepath.Join(c.dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	args := []string{
		"-D", c.pgdata(), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
		"-c", "max_connections=200", "-c", "log_min_messages=warning",
		// FerretDB's SQL names the field of a pushed-down equality as a bind parameter; only a custom
		// plan sees its value and so matches the GIN indexes on (_jsonb->'field') (see gin.go).
		"-c", "plan_cache_mode=force_custom_plan",
	}
	if c.ephemeral {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	c.cmd = exec.Command(filepath.Join(c.bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	c.cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: c.cred,
		// Its own process group keeps a terminal's Ctrl-C for this process, which stops postgres in
		// order; and postgres shuts down (fast mode) if this process dies without doing so.
		Setpgid:   true,
		Pdeathsig: syscall.SIGINT,
	}
	if err := c.cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	c.exited = exited
	go func() {
		c.waitErr = c.cmd.Wait()
		close(exited)
	}()

	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited at start (%v); see %s", c.waitErr, logFile.Name())
		default:
		}
		conn, err := pgx.Connect(ctx, c.url())
		if err == nil {
			_ = conn.Close(ctx)
			logf("postgres: ready on 127.0.0.1:%d (%d ms)", port, time.Since(started).Milliseconds())
			return nil
		}
		if time.Now().After(deadline) {
			c.stop()
			return fmt.Errorf("postgres did not accept connections within 60 s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop asks for a fast shutdown (clients disconnected, checkpoint written), then insists.
func (c *cluster) stop() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		<-c.exited
	}
}

// endOrphan stops a postgres still running on this cluster. Only an engine holding the lock calls
// it, so such a postgres belongs to an engine that died (it is already shutting down after its
// parent-death signal, or was started by hand).
func (c *cluster) endOrphan() error {
	raw, err := os.ReadFile(filepath.Join(c.pgdata(), "postmaster.pid"))
	if err != nil {
		return nil
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(raw), "\n", 2)[0]))
	if err != nil || !isPostgres(pid) {
		return nil // postgres itself removes a stale pid file
	}
	logf("postgres: stopping pid %d left running by an earlier engine", pid)
	_ = syscall.Kill(pid, syscall.SIGINT)
	for i := 0; isPostgres(pid); i++ {
		if i == 400 { // 20 s
			_ = syscall.Kill(pid, syscall.SIGQUIT)
		}
		if i == 800 {
			return errors.New("an earlier postgres on this cluster does not stop")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// isPostgres tells whether pid is a live postgres (a zombie left unreaped by a dead parent is not).
func isPostgres(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) state ...": comm may hold spaces and parentheses, so split at the last ')'.
	s := string(stat)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open || end+2 >= len(s) {
		return false
	}
	return strings.HasPrefix(s[open+1:end], "postgres") && s[end+2] != 'Z'
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// reachable checks that the postgres user can walk down to dir (DATA_DIR under a private home
// directory would make initdb fail with a less helpful message).
func reachable(dir string, uid, gid int) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := abs; ; p = filepath.Dir(p) {
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil {
			return err
		}
		ok := st.Mode&0o001 != 0 ||
			(int(st.Gid) == gid && st.Mode&0o010 != 0) ||
			(int(st.Uid) == uid && st.Mode&0o100 != 0)
		if !ok {
			return fmt.Errorf("the postgres user (uid %d) cannot enter %s; make it traversable (chmod o+x) or use another DATA_DIR", uid, p)
		}
		if p == "/" {
			return nil
		}
	}
}
