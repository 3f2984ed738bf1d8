/*
** main.c -- the firmware's entry: the cart runner does everything.
**
** rp8_main (aot/runner's frame loop, or a test fixture) calls plat_init and
** then runs the cart's frame loop through platform.h; it never returns.
*/
extern void rp8_main(void);

int main(void) {
  rp8_main();
  for (;;) {
  }
}
