/*
 * page_home.c: the home page: what nethealth tests, and the form that
 * starts a test (POST /test), with the last error above it.
 */
#include <string.h>

#include "page_impl.h"
#include "pages.h"

int
nh_page_home(FILE *fp, const char *domain, const char *type, const char *error)
{
	bool mail = type != NULL && strcmp(type, "mail") == 0;

	page_head(
	    fp, "Test a website or e-mail domain", NULL, PAGE_NAV_HOME, 0);
	fputs("<h1>Does your domain follow the Internet's standards?</h1>\n"
	      "<p class=\"lead\">nethealth tests a website or the e-mail of a "
	      "domain against the standards that keep the Internet "
	      "reachable, secure and trustworthy: IPv6, DNSSEC, HTTPS and "
	      "TLS, security headers, SPF, DKIM, DMARC, STARTTLS and DANE, "
	      "and route origin validation (RPKI). Every finding says what "
	      "it means, why it matters and how to fix it.</p>\n",
	    fp);
	if (error != NULL) {
		fputs("<div id=\"error\" class=\"alert\" role=\"alert\">\n"
		      "<h2>The test could not start</h2>\n<p>",
		    fp);
		page_esc(fp, error);
		fputs("</p>\n</div>\n", fp);
	}
	fputs("<form id=\"test-form\" class=\"test-form\" method=\"post\" "
	      "action=\"/test\">\n"
	      "<div class=\"field\">\n"
	      "<label for=\"domain\">Domain name</label>\n"
	      "<p id=\"domain-hint\" class=\"hint\">For example example.nl "
	      "or www.example.nl, without https://</p>\n"
	      "<input type=\"text\" id=\"domain\" name=\"domain\" required "
	      "maxlength=\"1024\" inputmode=\"url\" autocomplete=\"off\" "
	      "autocapitalize=\"none\" spellcheck=\"false\" "
	      "placeholder=\"example.nl\"",
	    fp);
	fputs(error != NULL ? " aria-describedby=\"domain-hint error\" "
			      "aria-invalid=\"true\""
			    : " aria-describedby=\"domain-hint\"",
	    fp);
	if (domain != NULL) {
		fputs(" value=\"", fp);
		page_esc(fp, domain);
		fputs("\"", fp);
	}
	fprintf(fp,
	    ">\n</div>\n"
	    "<fieldset class=\"field\">\n"
	    "<legend>What to test</legend>\n"
	    "<div class=\"choice\">"
	    "<input type=\"radio\" id=\"type-web\" name=\"type\" "
	    "value=\"web\"%s>"
	    "<label for=\"type-web\">Website <span class=\"hint\">IPv6, "
	    "DNSSEC, HTTPS and TLS, security headers, RPKI</span></label>"
	    "</div>\n"
	    "<div class=\"choice\">"
	    "<input type=\"radio\" id=\"type-mail\" name=\"type\" "
	    "value=\"mail\"%s>"
	    "<label for=\"type-mail\">E-mail <span class=\"hint\">IPv6, "
	    "DNSSEC, SPF, DKIM, DMARC, STARTTLS and DANE, RPKI</span>"
	    "</label></div>\n"
	    "</fieldset>\n"
	    "<button type=\"submit\" id=\"start\" class=\"button\">Start the "
	    "test</button>\n"
	    "</form>\n",
	    mail ? "" : " checked", mail ? " checked" : "");
	fputs("<section class=\"about\" aria-labelledby=\"about-h\">\n"
	      "<h2 id=\"about-h\">What you get</h2>\n"
	      "<ul>\n"
	      "<li>A score from 0 to 100, computed as "
	      "<a href=\"https://internet.nl/\">Internet.nl</a> computes it, "
	      "so that the figures compare.</li>\n"
	      "<li>Every address of every name server, web server and mail "
	      "server tested, not only the first one.</li>\n"
	      "<li>For each finding: what it means, why it matters, who must "
	      "act and how to fix it.</li>\n"
	      "<li>A permanent link to the result to share with whoever runs "
	      "your servers.</li>\n"
	      "</ul>\n"
	      "<p>Domains that score 100 enter the "
	      "<a href=\"/halloffame\">hall of fame</a>. "
	      "<a href=\"/standards\">The standards</a> page explains every "
	      "check.</p>\n"
	      "</section>\n",
	    fp);
	return page_foot(fp);
}
