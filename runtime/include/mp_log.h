/*
 * mp_log.h - printing and logging, each line also on the timeline.  (Part
 * of mp.h, whose conventions hold here: include mp.h.)
 *
 *     Python                               C
 *     print(f"...", flush=True)            mp_printf("...\n", ...);
 *     log_to_stderr(); setLevel(INFO)      mp_log_to_stderr(MP_INFO);
 *     logger.info("...")                   mp_log(MP_INFO, "...");
 */
#ifndef MP_LOG_H
#define MP_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/* printf to stdout, flushed at once, and each line recorded on the
 * timeline as a "print" event of the calling process. */
int mp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Names a moment on the timeline without printing anything. */
void mp_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum mp_log_level {
	MP_SUBDEBUG = 5,
	MP_DEBUG = 10,
	MP_INFO = 20,
	MP_WARNING = 30,
	MP_ERROR = 40,
	MP_CRITICAL = 50,
};

/* Python's log_to_stderr() and setLevel(): from now on, records at `level`
 * or above go to stderr as "[LEVEL/ProcessName] message".  The runtime logs
 * its own steps too (a child starting its body, a process exiting).
 * Children inherit the setting.  Logging is off until this is called. */
void mp_log_to_stderr(int level);

/* Writes one record, if its level is enabled, and records it as a "log"
 * event. */
void mp_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "DEBUG", "INFO", ... for a level; "Level N" for others. */
const char *mp_log_level_name(int level);

#ifdef __cplusplus
}
#endif

#endif /* MP_LOG_H */
