#ifndef CGDAL_H
#define CGDAL_H
/* GDAL's C API for vector data (OGR), spatial references and errors, as GDAL declares it.
 * GDAL is not linked: loader.c opens it on first use (cgdal_load) and each function here
 * forwards to GDAL's own. Linked, its relocations cost every command ~30 ms at start-up,
 * although only Shapefile, GeoPackage, KML and spreadsheet sources and exports use it. */
#if __has_include(<gdal/gdal.h>)
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>
#include <gdal/cpl_error.h>
#include <gdal/cpl_conv.h>
#include <gdal/cpl_string.h>
#else
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#endif
#include <stddef.h>

/* Opens GDAL (once per process; later calls return the first answer) and finds every
 * function GridPlan uses. Returns 1 when GDAL is ready; otherwise 0, with the reason
 * (the library names tried and the loader's message, or the missing function) in
 * `message`. No GDAL function may be called before it has returned 1. */
int cgdal_load(char *message, size_t size);

#endif
