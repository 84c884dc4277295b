/*-------------------------------------------------------------------------
 *
 * cj_sanitize_options.c
 *	  Built into the sanitizer build of the extension only (test/sanitize
 *	  copies it into the throw-away build tree).
 *
 * The sanitizer runtimes are loaded together with the library (a backend
 * dlopens it), and they read ASAN_OPTIONS / UBSAN_OPTIONS from
 * /proc/self/environ, which PostgreSQL overwrites with the process title.
 * These hooks give the runtimes their options directly instead.  They must
 * stay visible: from PostgreSQL 16 on, PGXS builds extensions with
 * -fvisibility=hidden, and a hidden hook is never called (the runtime then
 * stops at its link-order check when the library is loaded).
 *
 *-------------------------------------------------------------------------
 */
#define CJ_VISIBLE __attribute__((visibility("default")))

extern CJ_VISIBLE const char *__asan_default_options(void);
extern CJ_VISIBLE const char *__ubsan_default_options(void);

/* AddressSanitizer: stop at the first report, no leak check (palloc) */
CJ_VISIBLE const char *
__asan_default_options(void)
{
	return "detect_leaks=0:abort_on_error=1:halt_on_error=1:"
		"verify_asan_link_order=0:detect_stack_use_after_return=0";
}

/* UndefinedBehaviorSanitizer: stack trace, abort at the first report */
CJ_VISIBLE const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1:abort_on_error=1";
}
