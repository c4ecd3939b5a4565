/* mxpolicy.c - names of the policy facts' states, for JSON and metrics. */
#include "mxpolicy.h"

const char *
dnssec_status_name(enum dnssec_status s)
{
	switch (s) {
	case DNSSEC_NOT_ASKED:
		return "";
	case DNSSEC_SECURE:
		return "secure";
	case DNSSEC_INSECURE:
		return "insecure";
	case DNSSEC_BOGUS:
		return "bogus";
	case DNSSEC_FAILED:
		return "failed";
	case DNSSEC_UNCHECKED:
		return "unchecked";
	}
	return "";
}

const char *
dane_state_id(enum dane_state s)
{
	switch (s) {
	case DANE_NOT_ASKED:
		return "";
	case DANE_NOT_SECURE:
		return "not-secure";
	case DANE_NONE:
		return "none";
	case DANE_LOOKUP_FAILED:
		return "lookup-failed";
	case DANE_UNUSABLE:
		return "unusable";
	case DANE_NO_TLS:
		return "no-tls";
	case DANE_MATCHED:
		return "matched";
	case DANE_NO_MATCH:
		return "no-match";
	}
	return "";
}

const char *
sts_fetch_id(enum sts_fetch f)
{
	switch (f) {
	case STS_FETCH_NOT_RUN:
		return "";
	case STS_FETCH_OK:
		return "ok";
	case STS_FETCH_RESOLVE:
		return "resolve";
	case STS_FETCH_CONNECT:
		return "connect";
	case STS_FETCH_TLS:
		return "tls";
	case STS_FETCH_CERT:
		return "certificate";
	case STS_FETCH_STATUS:
		return "status";
	case STS_FETCH_REDIRECT:
		return "redirect";
	case STS_FETCH_TYPE:
		return "content-type";
	case STS_FETCH_TOO_LARGE:
		return "too-large";
	case STS_FETCH_MALFORMED:
		return "malformed";
	case STS_FETCH_TIMEOUT:
		return "timeout";
	}
	return "";
}

const char *
tls_level_name(enum tls_level l)
{
	switch (l) {
	case TLSLVL_DEFAULT:
		return "";
	case TLSLVL_MAY:
		return "may";
	case TLSLVL_ENCRYPT:
		return "encrypt";
	case TLSLVL_DANE:
		return "dane";
	case TLSLVL_DANE_ONLY:
		return "dane-only";
	case TLSLVL_VERIFY:
		return "verify";
	case TLSLVL_SECURE:
		return "secure";
	}
	return "";
}
