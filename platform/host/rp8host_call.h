/*
** rp8host_call.h -- the desktop player's call into a compiled cart's
** library, compiled into the engine's extension (console/engine_build.py).
** The library is opened at run time, so Python reaches it through cffi's
** generic call (argument classification and libffi on every call); from
** the extension the frame is a plain C call through a pointer, which takes
** a measurable share off a small cart's frame.
*/
#ifndef rp8host_call_h
#define rp8host_call_h

#include <stdint.h>

/* rp8:api begin */
/* frame: the library's rp8host_frame; returns what it returns. */
int rp8host_call_frame(void *frame, const uint8_t *masks);
/* rp8:api end */

#endif
