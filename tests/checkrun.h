/* checkrun.h - run a Check suite and turn its result into an exit status. */
#ifndef SMTPROBE_CHECKRUN_H
#define SMTPROBE_CHECKRUN_H

#include <check.h>
#include <stdlib.h>

static inline int
checkrun(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
