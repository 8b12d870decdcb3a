/*
 * text: string helpers (see text.h).
 */
#include "base/text.h"

#include <ctype.h>

size_t
text_distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[65], i, j;

	if (n > 64 || m > 64)
		return 99;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t prev = row[0], cur;
		row[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			cur = row[j];
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[m];
}
