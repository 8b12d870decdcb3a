/*
 * Fuzz target: the streaming CSV reader, with automatic and forced encodings
 * and small limits so that every limit path is reached.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_opts opts[2] = {
		{.max_record = 70000},
		{.encoding = CSV_ENC_UTF8, .max_record = 256, .max_fields = 8},
	};
	int k;

	for (k = 0; k < 2; k++) {
		struct csv *r;
		struct csv_row row;
		struct err e;
		enum csv_result res;
		size_t i, total = 0;

		if (csv_open_mem(&r, data, size, "fuzz.csv", &opts[k], &e))
			return 0;
		while ((res = csv_next(r, &row, &e)) != CSV_END && res != CSV_FATAL)
			if (res == CSV_ROW)
				for (i = 0; i < row.n; i++)
					total += row.len[i] + (size_t)row.fcol[i];
		(void)total;
		csv_close(r);
	}
	return 0;
}
