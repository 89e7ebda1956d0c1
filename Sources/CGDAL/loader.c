/* Opens GDAL at run time (dlopen) and forwards GridPlan's calls to it. CGDAL.h includes
 * GDAL's own headers, so each forwarding function below is checked by the compiler against
 * GDAL's declaration of it; the pointers take their types from those declarations too. */
#include "CGDAL.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Every GDAL function GridPlan calls, once: F(return type, name, parameters, arguments), or
 * V(name, parameters, arguments) for those that return nothing. From this one list come the
 * pointers, their lookup in the library and the forwarding functions, so none can be
 * forwarded without being looked up. */
#define CGDAL_FUNCTIONS(F, V) \
    F(CPLErr, CPLCloseFileInZip, (void *a0), (a0)) \
    F(CPLErr, CPLCloseZip, (void *a0), (a0)) \
    F(CPLErr, CPLCreateFileInZip, (void *a0, const char *a1, char **a2), (a0, a1, a2)) \
    F(void *, CPLCreateZip, (const char *a0, char **a1), (a0, a1)) \
    F(void *, CPLGetErrorHandlerUserData, (void), ()) \
    V(CPLPopErrorHandler, (void), ()) \
    V(CPLPushErrorHandlerEx, (CPLErrorHandler a0, void *a1), (a0, a1)) \
    V(CPLSetThreadLocalConfigOption, (const char *a0, const char *a1), (a0, a1)) \
    F(CPLErr, CPLWriteFileInZip, (void *a0, const void *a1, int a2), (a0, a1, a2)) \
    V(GDALAllRegister, (void), ()) \
    V(GDALClose, (GDALDatasetH a0), (a0)) \
    F(GDALDatasetH, GDALCreate, \
      (GDALDriverH a0, const char *a1, int a2, int a3, int a4, GDALDataType a5, CSLConstList a6), \
      (a0, a1, a2, a3, a4, a5, a6)) \
    F(OGRLayerH, GDALDatasetCreateLayer, \
      (GDALDatasetH a0, const char *a1, OGRSpatialReferenceH a2, OGRwkbGeometryType a3, CSLConstList a4), \
      (a0, a1, a2, a3, a4)) \
    F(OGRLayerH, GDALDatasetGetLayer, (GDALDatasetH a0, int a1), (a0, a1)) \
    F(OGRLayerH, GDALDatasetGetLayerByName, (GDALDatasetH a0, const char *a1), (a0, a1)) \
    F(int, GDALDatasetGetLayerCount, (GDALDatasetH a0), (a0)) \
    F(GDALDriverH, GDALGetDatasetDriver, (GDALDatasetH a0), (a0)) \
    F(GDALDriverH, GDALGetDriverByName, (const char *a0), (a0)) \
    F(const char *, GDALGetDriverShortName, (GDALDriverH a0), (a0)) \
    F(const char *, GDALGetMetadataItem, (GDALMajorObjectH a0, const char *a1, const char *a2), (a0, a1, a2)) \
    F(GDALDatasetH, GDALOpenEx, \
      (const char *a0, unsigned int a1, const char *const *a2, const char *const *a3, const char *const *a4), \
      (a0, a1, a2, a3, a4)) \
    F(const char *, GDALVersionInfo, (const char *a0), (a0)) \
    F(int, OGR_FD_GetFieldCount, (OGRFeatureDefnH a0), (a0)) \
    F(OGRFieldDefnH, OGR_FD_GetFieldDefn, (OGRFeatureDefnH a0, int a1), (a0, a1)) \
    F(OGRFeatureH, OGR_F_Create, (OGRFeatureDefnH a0), (a0)) \
    V(OGR_F_Destroy, (OGRFeatureH a0), (a0)) \
    F(GIntBig, OGR_F_GetFID, (OGRFeatureH a0), (a0)) \
    F(double, OGR_F_GetFieldAsDouble, (OGRFeatureH a0, int a1), (a0, a1)) \
    F(GIntBig, OGR_F_GetFieldAsInteger64, (OGRFeatureH a0, int a1), (a0, a1)) \
    F(const char *, OGR_F_GetFieldAsString, (OGRFeatureH a0, int a1), (a0, a1)) \
    F(OGRGeometryH, OGR_F_GetGeometryRef, (OGRFeatureH a0), (a0)) \
    F(int, OGR_F_IsFieldSetAndNotNull, (OGRFeatureH a0, int a1), (a0, a1)) \
    V(OGR_F_SetFieldDouble, (OGRFeatureH a0, int a1, double a2), (a0, a1, a2)) \
    V(OGR_F_SetFieldInteger64, (OGRFeatureH a0, int a1, GIntBig a2), (a0, a1, a2)) \
    V(OGR_F_SetFieldNull, (OGRFeatureH a0, int a1), (a0, a1)) \
    V(OGR_F_SetFieldString, (OGRFeatureH a0, int a1, const char *a2), (a0, a1, a2)) \
    F(OGRErr, OGR_F_SetGeometryDirectly, (OGRFeatureH a0, OGRGeometryH a1), (a0, a1)) \
    F(OGRFieldDefnH, OGR_Fld_Create, (const char *a0, OGRFieldType a1), (a0, a1)) \
    V(OGR_Fld_Destroy, (OGRFieldDefnH a0), (a0)) \
    F(const char *, OGR_Fld_GetNameRef, (OGRFieldDefnH a0), (a0)) \
    F(OGRFieldType, OGR_Fld_GetType, (OGRFieldDefnH a0), (a0)) \
    F(OGRGeometryH, OGR_G_Clone, (OGRGeometryH a0), (a0)) \
    F(OGRErr, OGR_G_CreateFromWkb, (const void *a0, OGRSpatialReferenceH a1, OGRGeometryH *a2, int a3), \
      (a0, a1, a2, a3)) \
    V(OGR_G_DestroyGeometry, (OGRGeometryH a0), (a0)) \
    F(OGRErr, OGR_G_ExportToIsoWkb, (OGRGeometryH a0, OGRwkbByteOrder a1, unsigned char *a2), (a0, a1, a2)) \
    V(OGR_G_FlattenTo2D, (OGRGeometryH a0), (a0)) \
    F(OGRGeometryH, OGR_G_ForceToMultiPolygon, (OGRGeometryH a0), (a0)) \
    F(OGRGeometryH, OGR_G_GetLinearGeometry, (OGRGeometryH a0, double a1, char **a2), (a0, a1, a2)) \
    F(int, OGR_G_HasCurveGeometry, (OGRGeometryH a0, int a1), (a0, a1)) \
    F(int, OGR_G_IsEmpty, (OGRGeometryH a0), (a0)) \
    F(int, OGR_G_WkbSize, (OGRGeometryH a0), (a0)) \
    F(OGRErr, OGR_L_CreateFeature, (OGRLayerH a0, OGRFeatureH a1), (a0, a1)) \
    F(OGRErr, OGR_L_CreateField, (OGRLayerH a0, OGRFieldDefnH a1, int a2), (a0, a1, a2)) \
    F(OGRFeatureDefnH, OGR_L_GetLayerDefn, (OGRLayerH a0), (a0)) \
    F(const char *, OGR_L_GetName, (OGRLayerH a0), (a0)) \
    F(OGRFeatureH, OGR_L_GetNextFeature, (OGRLayerH a0), (a0)) \
    F(OGRSpatialReferenceH, OGR_L_GetSpatialRef, (OGRLayerH a0), (a0)) \
    V(OGR_L_ResetReading, (OGRLayerH a0), (a0)) \
    F(OGRErr, OSRAutoIdentifyEPSG, (OGRSpatialReferenceH a0), (a0)) \
    F(OGRErr, OSRExportToWkt, (OGRSpatialReferenceH a0, char **a1), (a0, a1)) \
    F(const char *, OSRGetAuthorityCode, (OGRSpatialReferenceH a0, const char *a1), (a0, a1)) \
    F(const char *, OSRGetAuthorityName, (OGRSpatialReferenceH a0, const char *a1), (a0, a1)) \
    F(const char *, OSRGetName, (OGRSpatialReferenceH a0), (a0)) \
    F(OGRSpatialReferenceH, OSRNewSpatialReference, (const char *a0), (a0)) \
    V(OSRRelease, (OGRSpatialReferenceH a0), (a0)) \
    V(OSRSetAxisMappingStrategy, (OGRSpatialReferenceH a0, OSRAxisMappingStrategy a1), (a0, a1)) \
    F(OGRErr, OSRSetFromUserInput, (OGRSpatialReferenceH a0, const char *a1), (a0, a1)) \
    V(VSIFree, (void *a0), (a0))

#define CGDAL_POINTER(ret, name, params, args) static __typeof__(name) *p_##name;
#define CGDAL_POINTER_V(name, params, args) CGDAL_POINTER(void, name, params, args)
CGDAL_FUNCTIONS(CGDAL_POINTER, CGDAL_POINTER_V)

/* The shared library's names: the development link first (installed with the headers that
 * GridPlan is built against), then the runtime packages' sonames, newest first. */
static const char *const library_names[] = {
    "libgdal.so", "libgdal.so.36", "libgdal.so.35", "libgdal.so.34", "libgdal.so.33", "libgdal.so.32",
    "libgdal.so.31", "libgdal.so.30", "libgdal.so.29", "libgdal.so.28", "libgdal.so.27", "libgdal.so.26",
    "libgdal.dylib",
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_message[512];

static void load(void) {
    void *handle = NULL;
    char first[256] = "not found";
    size_t tried = sizeof library_names / sizeof library_names[0];
    for (size_t i = 0; i < tried && handle == NULL; i++) {
        handle = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        const char *reason = handle == NULL ? dlerror() : NULL;
        if (i == 0 && reason != NULL) {
            snprintf(first, sizeof first, "%s", reason);
        }
    }
    if (handle == NULL) {
        snprintf(load_message, sizeof load_message,
                 "the GDAL library could not be opened (%s; nor libgdal.so.26 to .36)", first);
        return;
    }
#define CGDAL_RESOLVE(ret, name, params, args) \
    p_##name = (__typeof__(name) *)dlsym(handle, #name); \
    if (p_##name == NULL) { \
        snprintf(load_message, sizeof load_message, "the GDAL library found lacks %s (GDAL 3.1 or newer is needed)", \
                 #name); \
        return; \
    }
#define CGDAL_RESOLVE_V(name, params, args) CGDAL_RESOLVE(void, name, params, args)
    CGDAL_FUNCTIONS(CGDAL_RESOLVE, CGDAL_RESOLVE_V)
    loaded = 1;
}

int cgdal_load(char *message, size_t size) {
    pthread_once(&load_once, load);
    if (!loaded && message != NULL && size > 0) {
        snprintf(message, size, "%s", load_message);
    }
    return loaded;
}

/* The forwarding functions. */
#define CGDAL_FORWARD(ret, name, params, args) \
    ret name params { return p_##name args; }
#define CGDAL_FORWARD_V(name, params, args) \
    void name params { p_##name args; }
CGDAL_FUNCTIONS(CGDAL_FORWARD, CGDAL_FORWARD_V)
