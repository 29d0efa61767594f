// A thin C face over ncursesw for Swift, which cannot call curses' function-like macros
// (getmaxyx, COLOR_PAIR) nor pass extended colour pairs through setcchar's opts pointer.
// Also the fatal-signal handler: it must be async-signal-safe, so it is C.
#pragma once
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <wchar.h>

// Attribute bits as the Swift side passes them (DiTRender's Attrs).
enum { SHIM_BOLD = 1, SHIM_DIM = 2, SHIM_REVERSE = 4, SHIM_UNDERLINE = 8, SHIM_ITALIC = 16 };
// Mouse events the explorer understands.
enum { SHIM_MOUSE_NONE = 0, SHIM_MOUSE_CLICK = 1, SHIM_MOUSE_WHEEL_UP = 2, SHIM_MOUSE_WHEEL_DOWN = 3 };

/// Whether the terminfo entry of `term` (NULL: $TERM) can draw a full screen (cursor addressing
/// and clear): 1 yes, 0 no (TERM=dumb), -1 no such entry.
int shim_term_can_draw(const char *term);
/// newterm on stdin/stdout with the given terminal type (NULL: $TERM); 0 on success.
int shim_open(const char *term);
/// cbreak, noecho, keypad, no cursor, input timeout, ESCDELAY, mouse; returns COLORS (0 if none).
int shim_setup(int timeout_ms);
void shim_close(void);
void shim_size(int *rows, int *cols);
/// get_wch: 0 nothing, 1 a character in *ch, 2 a KEY_ code in *ch.
int shim_read(int *ch);
/// As shim_read, but only what is already waiting (no timeout): the rest of an escape sequence.
int shim_read_pending(int *ch);
/// The last mouse event: kind (SHIM_MOUSE_*) and cell.
int shim_mouse(int *x, int *y);
/// One cell: up to 4 code points (a grapheme), colours -1 for the default, or an index / 0xRRGGBB.
void shim_put(int y, int x, const wchar_t *glyph, int attrs, int fg, int bg);
void shim_erase(void);
void shim_refresh(void);
/// Repaints rows y..<y+n in full (curses forgets what it sent there): after a sixel or iTerm2
/// image over them is gone, since curses cannot know it was drawn.
void shim_redraw_rows(int y, int n);

/// SIGINT / SIGTERM / SIGHUP set a flag instead of killing the process; the loop polls it.
void shim_watch_signals(void);
int shim_caught_signal(void);

/// Saves the terminal's termios and installs SIGSEGV/SIGILL/SIGABRT/SIGTRAP/SIGBUS/SIGFPE/SIGQUIT
/// handlers on an alternate stack that restore it, write a terminal reset, then re-raise.
void shim_install_fatal_handlers(void);
