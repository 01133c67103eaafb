/*
 * svc.c: the services the survey probes: their names, ports,
 * CyberGreen's risk slugs and amplification factors (US-CERT TA14-017A,
 * from Rossow, "Amplification Hell", NDSS 2014, Table III); and the
 * module's one way of writing an error message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "survey/survey.h"
#include "survey_impl.h"

const struct nh_svc_info nh_svc_table[NH_SVC_COUNT] = {
	[NH_SVC_DNS] = { .name = "dns",
	    .risk = "openrecursivedns",
	    .title = "Open recursive DNS resolver",
	    .port = 53,
	    .weight = 41.0,
	    .catalog = "survey_dns" },
	/* Not CyberGreen's: mode 6 READVAR amplifies some 30 times
	 * (Shadowserver's NTP version report), not monlist's 556.9. */
	[NH_SVC_NTP] = { .name = "ntp",
	    .risk = "ntpversion",
	    .title = "Open NTP server (mode 6 READVAR)",
	    .port = 123,
	    .weight = 30.0,
	    .catalog = "survey_ntp" },
	/* CyberGreen's "openntp" (the Open NTP Project counted monlist). */
	[NH_SVC_NTP_MONLIST] = { .name = "ntp-monlist",
	    .risk = "openntp",
	    .title = "Open NTP server (mode 7 monlist)",
	    .port = 123,
	    .weight = 556.9,
	    .catalog = "survey_ntp_monlist" },
	[NH_SVC_SSDP] = { .name = "ssdp",
	    .risk = "openssdp",
	    .title = "Open SSDP (UPnP) responder",
	    .port = 1900,
	    .weight = 30.8,
	    .catalog = "survey_ssdp" },
	[NH_SVC_SNMP] = { .name = "snmp",
	    .risk = "opensnmp",
	    .title = "Open SNMP agent (community \"public\")",
	    .port = 161,
	    .weight = 6.3,
	    .catalog = "survey_snmp" },
	[NH_SVC_CHARGEN] = { .name = "chargen",
	    .risk = "chargen",
	    .title = "Open CHARGEN service",
	    .port = 19,
	    .weight = 358.8,
	    .catalog = "survey_chargen" },
	[NH_SVC_MEMCACHED] = { .name = "memcached",
	    .risk = "openmemcached",
	    .title = "Open memcached over UDP",
	    .port = 11211,
	    .weight = 10000.0,
	    .catalog = "survey_memcached" },
};

int
nh_svc_parse(const char *name, enum nh_svc *out)
{
	if (name == NULL)
		return -1;
	/* Names first, then risk slugs. */
	for (int i = 0; i < NH_SVC_COUNT; i++)
		if (strcasecmp(name, nh_svc_table[i].name) == 0) {
			*out = (enum nh_svc)i;
			return 0;
		}
	for (int i = 0; i < NH_SVC_COUNT; i++)
		if (strcasecmp(name, nh_svc_table[i].risk) == 0) {
			*out = (enum nh_svc)i;
			return 0;
		}
	return -1;
}

void
nh_survey_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
