/*
 * test_auth.c: the batch API's users file (src/server/auth.c): a file
 * with yescrypt and other crypt(3) hashes loads; each malformed file is
 * refused with its line and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <crypt.h>

#include "server/server_impl.h"

static char path[64];

static void
write_file(const char *text)
{
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/nh-users-%d", (int)getpid());
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
refused(const char *text, const char *why)
{
	char err[256] = "";
	struct nh_users *u;

	write_file(text);
	u = nh_users_load(path, err, sizeof(err));
	if (u != NULL)
		fail_msg("accepted: %s", text);
	if (strstr(err, why) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, why);
	unlink(path);
}

static void
test_load(void **state)
{
	char err[256] = "", text[512];
	struct nh_users *u;
	const char *salt = crypt_gensalt("$y$", 0, NULL, 0);
	const char *hash;

	(void)state;
	assert_non_null(salt);
	hash = crypt("secret", salt);
	assert_non_null(hash);
	assert_int_equal(strncmp(hash, "$y$", 3), 0);
	snprintf(text, sizeof(text), "# batch users\n\nalice:%s\nbob:%s\r\n",
	    hash,
	    "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/");
	write_file(text);
	u = nh_users_load(path, err, sizeof(err));
	if (u == NULL)
		fail_msg("refused: %s", err);
	nh_users_free(u);
	unlink(path);
}

static void
test_refused(void **state)
{
	char err[256];

	(void)state;
	assert_null(nh_users_load("/nonexistent/users", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	refused("", "no users");
	refused("# only a comment\n", "no users");
	refused("alice\n", "line 1: not NAME:HASH");
	refused("alice:plaintext\n", "line 1: not NAME:HASH");
	refused(":$y$abc\n", "line 1: not NAME:HASH");
	refused("a:$y$x\nb:$y$y\na:$y$z\n", "line 3: user a listed twice");
	refused("this-name-is-longer-than-sixty-four-bytes-which-no-user-"
		"needs-at-all:$y$x\n",
	    "line 1: not NAME:HASH");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
