#ifndef CGDAL_SHIM_H
#define CGDAL_SHIM_H
/* GDAL's C API for vector data (OGR), spatial references and errors. */
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#endif
