/*
 * Prints two variables from the case's env file, and two host variables that must not leak into
 * the guest (the guest environment is exactly what the invocation supplies).
 */
#include <stdio.h>
#include <stdlib.h>

static void show(const char *name) {
    const char *value = getenv(name);
    printf("%s=%s\n", name, value != NULL ? value : "(unset)");
}

int main(void) {
    show("GREETING");
    show("TARGET");
    show("PATH");
    show("HOME");
    return 0;
}
