/* dlib.c - libraries opened on first use; see dlib.h. */
#include <config.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dlib.h"

static pthread_mutex_t dlib_mu = PTHREAD_MUTEX_INITIALIZER;

/* Look up one symbol into its slot; 0, or -1 with l->why set.  dlsym hands
 * a data pointer and ISO C defines no cast from it to a function pointer:
 * its bytes are copied when the sizes agree. */
static int
dlib_sym(struct dlib *l, void *h, const struct dlib_sym *s)
{
	void *p = dlsym(h, s->name);

	if (p == NULL || s->size != sizeof(p)) {
		snprintf(l->why, sizeof(l->why), "%s: %s", l->soname, s->name);
		return -1;
	}
	memcpy(s->slot, &p, sizeof(p));
	return 0;
}

static void
dlib_open_locked(struct dlib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		const char *err = dlerror();

		snprintf(l->why, sizeof(l->why), "%s", err != NULL ? err : l->soname);
		return;
	}
	for (const struct dlib_sym *s = l->syms; s->name != NULL; s++) {
		if (dlib_sym(l, h, s) != 0) {
			dlclose(h);
			return;
		}
	}
	l->ok = 1;
}

int
dlib_load(struct dlib *l)
{
	int ok;

	pthread_mutex_lock(&dlib_mu);
	if (!l->tried) {
		l->tried = 1;
		dlib_open_locked(l);
	}
	ok = l->ok;
	pthread_mutex_unlock(&dlib_mu);
	return ok;
}

int
dlib_loaded(struct dlib *l)
{
	int ok;

	pthread_mutex_lock(&dlib_mu);
	ok = l->ok;
	pthread_mutex_unlock(&dlib_mu);
	return ok;
}
