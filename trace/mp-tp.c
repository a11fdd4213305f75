/*
 * mp-tp.c - the probes of the "mp" provider, built as libmp-tp.so.
 *
 * Programs never link this library: the runtime dlopen()s it at start-up
 * (runtime/src/base/trace.c), so a machine without LTTng runs every lesson
 * unchanged, only silently.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "mp-tp.h"
