// Wide-character ncurses (Debian: libncursesw5-dev).
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>

// Terminal cells of a character (POSIX XSI). glibc declares it only under _XOPEN_SOURCE,
// which would also hide BSD and GNU names the rest of the package uses.
int wcwidth(wchar_t c);
