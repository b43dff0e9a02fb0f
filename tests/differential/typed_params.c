/* The public typed-parameter helpers, built once against virtkit and once
 * against libvirt 9.0: typed_params_test.py compares what each prints. */
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void quiet(void *opaque, virErrorPtr err) { (void)opaque; (void)err; }

static void result(const char *what, int rc) {
    virErrorPtr e = virGetLastError();
    if (rc < 0 && e)
        printf("%s: %d ERR %d %d %s\n", what, rc, e->code, e->domain, e->message);
    else
        printf("%s: %d\n", what, rc);
}

int main(void) {
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0, i, rc;
    unsigned int ui;
    long long ll;
    unsigned long long ull;
    double d;
    int b;
    const char *s;
    const char *list[] = {"a", "b", NULL};
    char longname[100];

    virInitialize();
    virSetErrorFunc(NULL, quiet);
    result("add int", virTypedParamsAddInt(&p, &n, &max, "i", -5));
    result("add uint", virTypedParamsAddUInt(&p, &n, &max, "u", 7));
    result("add llong", virTypedParamsAddLLong(&p, &n, &max, "l", -1234567890123LL));
    result("add ullong", virTypedParamsAddULLong(&p, &n, &max, "ul", 1234567890123ULL));
    result("add double", virTypedParamsAddDouble(&p, &n, &max, "d", 2.5));
    result("add boolean", virTypedParamsAddBoolean(&p, &n, &max, "b", 42));
    result("add string", virTypedParamsAddString(&p, &n, &max, "s", "hello"));
    result("add list", virTypedParamsAddStringList(&p, &n, &max, "s", list));
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    result("add long name", virTypedParamsAddInt(&p, &n, &max, longname, 1));
    result("from string int", virTypedParamsAddFromString(&p, &n, &max, "fi", VIR_TYPED_PARAM_INT, "12"));
    result("from string bad int", virTypedParamsAddFromString(&p, &n, &max, "fi", VIR_TYPED_PARAM_INT, "12x"));
    result("from string uint", virTypedParamsAddFromString(&p, &n, &max, "fu", VIR_TYPED_PARAM_UINT, "4000000000"));
    result("from string double", virTypedParamsAddFromString(&p, &n, &max, "fd", VIR_TYPED_PARAM_DOUBLE, "0.25"));
    result("from string bool", virTypedParamsAddFromString(&p, &n, &max, "fb", VIR_TYPED_PARAM_BOOLEAN, "TRUE"));
    result("from string bad bool", virTypedParamsAddFromString(&p, &n, &max, "fb", VIR_TYPED_PARAM_BOOLEAN, "yes"));
    result("from string bad type", virTypedParamsAddFromString(&p, &n, &max, "fx", 42, "1"));
    result("from string string", virTypedParamsAddFromString(&p, &n, &max, "fs", VIR_TYPED_PARAM_STRING, "str"));
    printf("n=%d max>=n:%d\n", n, max >= n);
    for (i = 0; i < n; i++)
        printf("  %s type %d\n", p[i].field, p[i].type);
    rc = virTypedParamsGetInt(p, n, "i", &i); printf("get int: %d %d\n", rc, i);
    rc = virTypedParamsGetUInt(p, n, "u", &ui); printf("get uint: %d %u\n", rc, ui);
    rc = virTypedParamsGetLLong(p, n, "l", &ll); printf("get llong: %d %lld\n", rc, ll);
    rc = virTypedParamsGetULLong(p, n, "ul", &ull); printf("get ullong: %d %llu\n", rc, ull);
    rc = virTypedParamsGetDouble(p, n, "d", &d); printf("get double: %d %g\n", rc, d);
    rc = virTypedParamsGetBoolean(p, n, "b", &b); printf("get boolean: %d %d\n", rc, b);
    rc = virTypedParamsGetString(p, n, "s", &s); printf("get string: %d %s\n", rc, s);
    rc = virTypedParamsGetUInt(p, n, "fu", &ui); printf("get from string uint: %d %u\n", rc, ui);
    result("get absent", virTypedParamsGetInt(p, n, "nope", &i));
    result("get wrong type", virTypedParamsGetInt(p, n, "s", &i));
    printf("get: %s\n", virTypedParamsGet(p, n, "d") ? virTypedParamsGet(p, n, "d")->field : "(null)");
    printf("get null: %d\n", virTypedParamsGet(NULL, n, "d") == NULL);
    virTypedParamsClear(p, n);
    printf("cleared string: %d\n", p[6].value.s == NULL);
    virTypedParamsFree(p, n);
    virTypedParamsFree(NULL, 0);
    printf("done\n");
    return 0;
}
