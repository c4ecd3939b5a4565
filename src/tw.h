/* tw.h - text for terminals in any language: display widths, padding and
 * word wrap that count columns, not bytes (CJK characters take two
 * columns and need no spaces to break between).  Lines break between
 * words, or next to a wide character, but never before a closing
 * punctuation mark (。，、；：？！）」 ...) nor after an opening one
 * (（「 ...), as Chinese typesetting requires. */
#ifndef SMTPROBE_TW_H
#define SMTPROBE_TW_H

#include <stddef.h>
#include <stdio.h>

/* Columns s takes on a terminal (UTF-8 when i18n_utf8(); bytes otherwise).
 * Bytes that are not valid UTF-8 count one column each. */
int tw_width(const char *s);

/* Columns a label takes with the gap after it: its width and a space,
 * but no space after full-width closing punctuation (a colon "：" holds
 * its own space, as Chinese typesetting has it). */
int tw_label_width(const char *label);

/* Print s, then spaces up to width columns. */
void tw_pad(FILE *out, const char *s, int width);

/* The first line of text at s (no leading spaces) that fits width
 * columns: returns its length in bytes (trailing spaces excluded), and
 * sets *next to where the following line starts ("" at the end).  A
 * word wider than the line is cut at the width. */
size_t tw_line(const char *s, int width, const char **next);

/* Print indent spaces, label padded to label_w columns, then text wrapped
 * at max_w columns with a hanging indent under the text's first column.
 * A label wider than label_w with its gap (tw_label_width) goes on a line
 * of its own. */
void tw_wrap(FILE *out, int indent, const char *label, int label_w, const char *text, int max_w);

/* Two texts side by side: indent spaces, label padded to label_w
 * columns, then a and b each wrapped in its own column of col_w columns
 * (a gap of two columns between them).  A label that leaves no room goes
 * on a line of its own. */
void tw_columns(
    FILE *out, int indent, const char *label, int label_w, const char *a, const char *b, int col_w);

#endif
