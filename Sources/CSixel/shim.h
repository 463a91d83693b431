// libsixel: sixel encoding/decoding and image file loading/writing (Debian: libsixel-dev).
#include <sixel.h>
