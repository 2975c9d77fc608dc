/* What oneDNN 3.5.3's bundled Xbyak reads for the data cache sizes on an AMD CPU: CPUID leaf 0x8000001D, sub-leaves 0, 2, 3. */
#include <cpuid.h>
#include <stdio.h>
int main(void) {
    unsigned a, b, c, d;
    __cpuid(0x80000000, a, b, c, d);
    printf("max extended leaf 0x%x\n", a);
    for (unsigned s = 0; s <= 3; s++) {
        __cpuid_count(0x8000001D, s, a, b, c, d);
        unsigned ways = (b >> 22) + 1, parts = ((b >> 12) & 0x3ff) + 1, line = (b & 0xfff) + 1, sets = c + 1;
        printf("0x8000001D sub-leaf %u: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x -> type %u level %u, size %u bytes (as Xbyak computes it)\n",
               s, a, b, c, d, a & 0x1f, (a >> 5) & 7, ways * parts * line * sets);
    }
    __cpuid(0x80000006, a, b, c, d);
    printf("legacy 0x80000006: L2 %u KB, L3 %u x 512 KB\n", c >> 16, d >> 18);
    __cpuid(0x80000001, a, b, c, d);
    printf("0x80000001 ecx bit 22 (TopologyExtensions, needed for 0x8000001D): %u\n", (c >> 22) & 1);
    return 0;
}
