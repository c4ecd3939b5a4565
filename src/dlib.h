/* dlib.h - a shared library opened by soname on first use and its
 * functions looked up from a table: the one loader of sasl_lib.c,
 * ub_lib.c, idn.c and serve_lib.c (each library is optional at run time,
 * so none is linked).
 */
#ifndef SMTPROBE_DLIB_H
#define SMTPROBE_DLIB_H

#include <stddef.h>

/* One symbol: its name and the function pointer to fill. */
struct dlib_sym {
	const char *name;
	void *slot;
	size_t size; /* sizeof the slot: a data pointer's size, checked */
};

#define DLIB_SYM(name, ptr)                                                                        \
	{                                                                                          \
		(name), &(ptr), sizeof(ptr)                                                        \
	}

struct dlib {
	const char *soname;
	const struct dlib_sym *syms; /* ended by a NULL name */
	/* Set by dlib_load: */
	int tried, ok;
	char why[200]; /* !ok: dlerror's words, or "soname: symbol" */
};

/* Opens l->soname the first time (under one mutex for all libraries, so
 * any thread may call it) and fills every slot of l->syms; the library
 * then stays open for the run.  1 when all are there, 0 with l->why set
 * (a missing symbol closes the library again). */
int dlib_load(struct dlib *l);

/* Whether an earlier dlib_load succeeded (this one tries nothing). */
int dlib_loaded(struct dlib *l);

#endif
