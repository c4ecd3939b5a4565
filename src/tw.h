/* tw.h - text for terminals in any language: display widths, padding and
 * word wrap that count columns, not bytes (CJK characters take two
 * columns and need no spaces to break between). */
#ifndef SMTPROBE_TW_H
#define SMTPROBE_TW_H

#include <stdio.h>

/* Columns s takes on a terminal (UTF-8 when i18n_utf8(); bytes otherwise).
 * Bytes that are not valid UTF-8 count one column each. */
int tw_width(const char *s);

/* Print s, then spaces up to width columns. */
void tw_pad(FILE *out, const char *s, int width);

/* Print indent spaces, label padded to label_w columns, then text wrapped
 * at max_w columns with a hanging indent under the text's first column. */
void tw_wrap(FILE *out, int indent, const char *label, int label_w, const char *text, int max_w);

#endif
