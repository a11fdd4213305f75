/*
 * static_hello.c - a program linked statically: no dynamic linker reads
 * LD_PRELOAD for it.  The interpose tests check that the preload says so.
 */
#include <stdio.h>

int main(void)
{
	puts("static hello");
	return 0;
}
