#include "shim.h"
#include <ncursesw/term.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static SCREEN *screen;

static int capable(const char *name) {
    const char *s = tigetstr(name);
    return s != NULL && s != (char *)-1 && *s != 0;
}

int shim_term_can_draw(const char *term) {
    TERMINAL *saved = cur_term;
    int err = 0;
    if (setupterm(term, STDOUT_FILENO, &err) != OK) return -1;
    int ok = capable("cup") && capable("clear");
    TERMINAL *probe = set_curterm(saved);
    del_curterm(probe);
    return ok;
}

int shim_open(const char *term) {
    screen = newterm(term, stdout, stdin);
    if (!screen) return -1;
    set_term(screen);
    return 0;
}

static int input_timeout_ms = 0;

int shim_setup(int timeout_ms) {
    input_timeout_ms = timeout_ms;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    wtimeout(stdscr, timeout_ms);
    set_escdelay(25);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    if (!has_colors()) return 0;
    start_color();
    use_default_colors();
    return COLORS;
}

void shim_close(void) {
    mousemask(0, NULL);
    curs_set(1);
    endwin();
    // No alternate screen to leave (TERM=linux, the console): the last frame would stay, so clear it.
    if (!capable("rmcup") && capable("clear")) putp(tigetstr("clear"));
    if (screen) { delscreen(screen); screen = NULL; }
    // Belt and braces: some terminals keep the cursor hidden across the alternate-screen switch.
    fputs("\033[?25h", stdout);
    fflush(stdout);
}

void shim_size(int *rows, int *cols) { getmaxyx(stdscr, *rows, *cols); }

int shim_read(int *ch) {
    wint_t w = 0;
    int r = get_wch(&w);
    *ch = (int)w;
    if (r == ERR) return 0;
    return r == KEY_CODE_YES ? 2 : 1;
}

int shim_read_pending(int *ch) {
    wtimeout(stdscr, 0);
    int r = shim_read(ch);
    wtimeout(stdscr, input_timeout_ms);
    return r;
}

int shim_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return SHIM_MOUSE_NONE;
    *x = e.x; *y = e.y;
    if (e.bstate & BUTTON4_PRESSED) return SHIM_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return SHIM_MOUSE_WHEEL_DOWN;
#endif
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return SHIM_MOUSE_CLICK;
    return SHIM_MOUSE_NONE;
}

void shim_put(int y, int x, const wchar_t *glyph, int attrs, int fg, int bg) {
    attr_t a = A_NORMAL;
    if (attrs & SHIM_BOLD) a |= A_BOLD;
    if (attrs & SHIM_DIM) a |= A_DIM;
    if (attrs & SHIM_REVERSE) a |= A_REVERSE;
    if (attrs & SHIM_UNDERLINE) a |= A_UNDERLINE;
    if (attrs & SHIM_ITALIC) a |= A_ITALIC;
    int pair = (fg == -1 && bg == -1) ? 0 : alloc_pair(fg, bg);
    if (pair < 0) pair = 0;
    cchar_t cc;
    setcchar(&cc, glyph, a, 0, &pair);
    mvadd_wch(y, x, &cc);
}

void shim_erase(void) { erase(); }
void shim_refresh(void) { refresh(); }

// ---- SIGINT / SIGTERM / SIGHUP ------------------------------------------------------------
// Recorded by a handler and polled by the loop, which restores the terminal and exits 128 + sig
// (SIGHUP: the terminal went away, or `kill -HUP`; 129). (Ignoring them and watching with a
// DispatchSource does not work on Linux: libdispatch reads signals through signalfd, which never
// sees a signal whose disposition is SIG_IGN.) Installed before newterm, so ncurses, finding a
// handler in place, adds none of its own.

static volatile sig_atomic_t caught_signal;

static void record_signal(int sig) { if (!caught_signal) caught_signal = sig; }

void shim_watch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int shim_caught_signal(void) { return caught_signal; }

// ---- fatal signals ----------------------------------------------------------------------

static struct termios saved_termios;
static int have_termios;
static const char reset_sequence[] =
    "\033[?1000l\033[?1002l\033[?1003l\033[?1006l"  /* mouse reporting off */
    "\033[0m\033[?25h"                                /* attributes off, cursor on */
    "\033[?1049l\r\n";                                /* leave the alternate screen */

static void fatal_handler(int sig) {
    if (have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    ssize_t ignored = write(STDOUT_FILENO, reset_sequence, sizeof reset_sequence - 1);
    (void)ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

void shim_install_fatal_handlers(void) {
    have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
    static char stack_memory[64 * 1024];
    stack_t ss = { .ss_sp = stack_memory, .ss_size = sizeof stack_memory, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fatal_handler;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    // SIGQUIT (Ctrl-\) too: the Swift runtime's backtracer would otherwise print over the screen and
    // wait 30 s for a key with the terminal raw; now the terminal comes back first, then the
    // default action (quit, with a core dump where enabled).
    int sigs[] = { SIGSEGV, SIGILL, SIGABRT, SIGTRAP, SIGBUS, SIGFPE, SIGQUIT };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

void shim_redraw_rows(int y, int n) {
    wredrawln(stdscr, y, n);
    wrefresh(stdscr);
}
