/*
** web_bundle.h -- the carts a web page holds (console/web_build.py emits
** the table for each export): the first is the one the page starts; the
** others are the carts it may load() or reload() from, by the names they
** had beside it on disk.
*/
#ifndef web_bundle_h
#define web_bundle_h

#include <stdint.h>

typedef struct {
  const char *name;      /* its file name, relative to the first cart's folder */
  const void *code;      /* its compiled code (an rp8::Cart); null: data only (reload) */
  const uint8_t *rom;    /* its data, RP8_ROM_DATA bytes */
} rp8web_cart;

extern const rp8web_cart rp8web_carts[];
extern const int rp8web_ncarts;

#endif
