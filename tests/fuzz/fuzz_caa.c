/*
 * fuzz_caa.c: libFuzzer target for the CAA record checker, which reads
 * tags and values from any zone on the Internet. Input: a flags byte, then
 * tag and value separated by a NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int nh_caa_check_record(
    unsigned flags, const char *tag, const char *value, char *why, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, why[256];
	size_t taglen;

	if (size < 1)
		return 0;
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	buf[size] = '\0';
	taglen = strlen(buf);
	nh_caa_check_record(data[0], buf,
	    buf + (taglen < size - 1 ? taglen + 1 : taglen), why, sizeof(why));
	free(buf);
	return 0;
}
