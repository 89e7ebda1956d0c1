/* Opens GDAL at run time (dlopen) and forwards GridPlan's calls to it. CGDAL.h includes
 * GDAL's own headers, so each forwarding function below is checked by the compiler against
 * GDAL's declaration of it; the pointers take their types from those declarations too. */
#include "CGDAL.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Every GDAL function GridPlan calls. */
#define CGDAL_FUNCTIONS(F) \
    F(CPLCloseFileInZip) \
    F(CPLCloseZip) \
    F(CPLCreateFileInZip) \
    F(CPLCreateZip) \
    F(CPLGetErrorHandlerUserData) \
    F(CPLPopErrorHandler) \
    F(CPLPushErrorHandlerEx) \
    F(CPLSetThreadLocalConfigOption) \
    F(CPLWriteFileInZip) \
    F(GDALAllRegister) \
    F(GDALClose) \
    F(GDALCreate) \
    F(GDALDatasetCreateLayer) \
    F(GDALDatasetGetLayer) \
    F(GDALDatasetGetLayerByName) \
    F(GDALDatasetGetLayerCount) \
    F(GDALGetDatasetDriver) \
    F(GDALGetDriverByName) \
    F(GDALGetDriverShortName) \
    F(GDALGetMetadataItem) \
    F(GDALOpenEx) \
    F(GDALVersionInfo) \
    F(OGR_FD_GetFieldCount) \
    F(OGR_FD_GetFieldDefn) \
    F(OGR_F_Create) \
    F(OGR_F_Destroy) \
    F(OGR_F_GetFID) \
    F(OGR_F_GetFieldAsDouble) \
    F(OGR_F_GetFieldAsInteger64) \
    F(OGR_F_GetFieldAsString) \
    F(OGR_F_GetGeometryRef) \
    F(OGR_F_IsFieldSetAndNotNull) \
    F(OGR_F_SetFieldDouble) \
    F(OGR_F_SetFieldInteger64) \
    F(OGR_F_SetFieldNull) \
    F(OGR_F_SetFieldString) \
    F(OGR_F_SetGeometryDirectly) \
    F(OGR_Fld_Create) \
    F(OGR_Fld_Destroy) \
    F(OGR_Fld_GetNameRef) \
    F(OGR_Fld_GetType) \
    F(OGR_G_Clone) \
    F(OGR_G_CreateFromWkb) \
    F(OGR_G_DestroyGeometry) \
    F(OGR_G_ExportToIsoWkb) \
    F(OGR_G_FlattenTo2D) \
    F(OGR_G_ForceToMultiPolygon) \
    F(OGR_G_GetLinearGeometry) \
    F(OGR_G_HasCurveGeometry) \
    F(OGR_G_IsEmpty) \
    F(OGR_G_WkbSize) \
    F(OGR_L_CreateFeature) \
    F(OGR_L_CreateField) \
    F(OGR_L_GetLayerDefn) \
    F(OGR_L_GetName) \
    F(OGR_L_GetNextFeature) \
    F(OGR_L_GetSpatialRef) \
    F(OGR_L_ResetReading) \
    F(OSRAutoIdentifyEPSG) \
    F(OSRExportToWkt) \
    F(OSRGetAuthorityCode) \
    F(OSRGetAuthorityName) \
    F(OSRGetName) \
    F(OSRNewSpatialReference) \
    F(OSRRelease) \
    F(OSRSetAxisMappingStrategy) \
    F(OSRSetFromUserInput) \
    F(VSIFree)

#define CGDAL_POINTER(name) static __typeof__(name) *p_##name;
CGDAL_FUNCTIONS(CGDAL_POINTER)

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
#define CGDAL_RESOLVE(name) \
    p_##name = (__typeof__(name) *)dlsym(handle, #name); \
    if (p_##name == NULL) { \
        snprintf(load_message, sizeof load_message, "the GDAL library found lacks %s (GDAL 3.1 or newer is needed)", \
                 #name); \
        return; \
    }
    CGDAL_FUNCTIONS(CGDAL_RESOLVE)
    loaded = 1;
}

int cgdal_load(char *message, size_t size) {
    pthread_once(&load_once, load);
    if (!loaded && message != NULL && size > 0) {
        snprintf(message, size, "%s", load_message);
    }
    return loaded;
}

/* The forwarding functions, in the order of the list above. */
CPLErr CPLCloseFileInZip(void *a0) {
    return p_CPLCloseFileInZip(a0);
}
CPLErr CPLCloseZip(void *a0) {
    return p_CPLCloseZip(a0);
}
CPLErr CPLCreateFileInZip(void *a0, const char *a1, char **a2) {
    return p_CPLCreateFileInZip(a0, a1, a2);
}
void * CPLCreateZip(const char *a0, char **a1) {
    return p_CPLCreateZip(a0, a1);
}
void *CPLGetErrorHandlerUserData(void) {
    return p_CPLGetErrorHandlerUserData();
}
void CPLPopErrorHandler(void) {
    p_CPLPopErrorHandler();
}
void CPLPushErrorHandlerEx(CPLErrorHandler a0, void *a1) {
    p_CPLPushErrorHandlerEx(a0, a1);
}
void CPLSetThreadLocalConfigOption(const char *a0, const char *a1) {
    p_CPLSetThreadLocalConfigOption(a0, a1);
}
CPLErr CPLWriteFileInZip(void *a0, const void *a1, int a2) {
    return p_CPLWriteFileInZip(a0, a1, a2);
}
void GDALAllRegister(void) {
    p_GDALAllRegister();
}
void GDALClose(GDALDatasetH a0) {
    p_GDALClose(a0);
}
GDALDatasetH GDALCreate(GDALDriverH a0, const char *a1, int a2, int a3, int a4, GDALDataType a5, CSLConstList a6) {
    return p_GDALCreate(a0, a1, a2, a3, a4, a5, a6);
}
OGRLayerH GDALDatasetCreateLayer(GDALDatasetH a0, const char *a1, OGRSpatialReferenceH a2, OGRwkbGeometryType a3,
                                 CSLConstList a4) {
    return p_GDALDatasetCreateLayer(a0, a1, a2, a3, a4);
}
OGRLayerH GDALDatasetGetLayer(GDALDatasetH a0, int a1) {
    return p_GDALDatasetGetLayer(a0, a1);
}
OGRLayerH GDALDatasetGetLayerByName(GDALDatasetH a0, const char *a1) {
    return p_GDALDatasetGetLayerByName(a0, a1);
}
int GDALDatasetGetLayerCount(GDALDatasetH a0) {
    return p_GDALDatasetGetLayerCount(a0);
}
GDALDriverH GDALGetDatasetDriver(GDALDatasetH a0) {
    return p_GDALGetDatasetDriver(a0);
}
GDALDriverH GDALGetDriverByName(const char *a0) {
    return p_GDALGetDriverByName(a0);
}
const char *GDALGetDriverShortName(GDALDriverH a0) {
    return p_GDALGetDriverShortName(a0);
}
const char *GDALGetMetadataItem(GDALMajorObjectH a0, const char *a1, const char *a2) {
    return p_GDALGetMetadataItem(a0, a1, a2);
}
GDALDatasetH GDALOpenEx(const char *a0, unsigned int a1, const char *const *a2, const char *const *a3,
                        const char *const *a4) {
    return p_GDALOpenEx(a0, a1, a2, a3, a4);
}
const char *GDALVersionInfo(const char *a0) {
    return p_GDALVersionInfo(a0);
}
int OGR_FD_GetFieldCount(OGRFeatureDefnH a0) {
    return p_OGR_FD_GetFieldCount(a0);
}
OGRFieldDefnH OGR_FD_GetFieldDefn(OGRFeatureDefnH a0, int a1) {
    return p_OGR_FD_GetFieldDefn(a0, a1);
}
OGRFeatureH OGR_F_Create(OGRFeatureDefnH a0) {
    return p_OGR_F_Create(a0);
}
void OGR_F_Destroy(OGRFeatureH a0) {
    p_OGR_F_Destroy(a0);
}
GIntBig OGR_F_GetFID(OGRFeatureH a0) {
    return p_OGR_F_GetFID(a0);
}
double OGR_F_GetFieldAsDouble(OGRFeatureH a0, int a1) {
    return p_OGR_F_GetFieldAsDouble(a0, a1);
}
GIntBig OGR_F_GetFieldAsInteger64(OGRFeatureH a0, int a1) {
    return p_OGR_F_GetFieldAsInteger64(a0, a1);
}
const char *OGR_F_GetFieldAsString(OGRFeatureH a0, int a1) {
    return p_OGR_F_GetFieldAsString(a0, a1);
}
OGRGeometryH OGR_F_GetGeometryRef(OGRFeatureH a0) {
    return p_OGR_F_GetGeometryRef(a0);
}
int OGR_F_IsFieldSetAndNotNull(OGRFeatureH a0, int a1) {
    return p_OGR_F_IsFieldSetAndNotNull(a0, a1);
}
void OGR_F_SetFieldDouble(OGRFeatureH a0, int a1, double a2) {
    p_OGR_F_SetFieldDouble(a0, a1, a2);
}
void OGR_F_SetFieldInteger64(OGRFeatureH a0, int a1, GIntBig a2) {
    p_OGR_F_SetFieldInteger64(a0, a1, a2);
}
void OGR_F_SetFieldNull(OGRFeatureH a0, int a1) {
    p_OGR_F_SetFieldNull(a0, a1);
}
void OGR_F_SetFieldString(OGRFeatureH a0, int a1, const char *a2) {
    p_OGR_F_SetFieldString(a0, a1, a2);
}
OGRErr OGR_F_SetGeometryDirectly(OGRFeatureH a0, OGRGeometryH a1) {
    return p_OGR_F_SetGeometryDirectly(a0, a1);
}
OGRFieldDefnH OGR_Fld_Create(const char *a0, OGRFieldType a1) {
    return p_OGR_Fld_Create(a0, a1);
}
void OGR_Fld_Destroy(OGRFieldDefnH a0) {
    p_OGR_Fld_Destroy(a0);
}
const char *OGR_Fld_GetNameRef(OGRFieldDefnH a0) {
    return p_OGR_Fld_GetNameRef(a0);
}
OGRFieldType OGR_Fld_GetType(OGRFieldDefnH a0) {
    return p_OGR_Fld_GetType(a0);
}
OGRGeometryH OGR_G_Clone(OGRGeometryH a0) {
    return p_OGR_G_Clone(a0);
}
OGRErr OGR_G_CreateFromWkb(const void *a0, OGRSpatialReferenceH a1, OGRGeometryH *a2, int a3) {
    return p_OGR_G_CreateFromWkb(a0, a1, a2, a3);
}
void OGR_G_DestroyGeometry(OGRGeometryH a0) {
    p_OGR_G_DestroyGeometry(a0);
}
OGRErr OGR_G_ExportToIsoWkb(OGRGeometryH a0, OGRwkbByteOrder a1, unsigned char *a2) {
    return p_OGR_G_ExportToIsoWkb(a0, a1, a2);
}
void OGR_G_FlattenTo2D(OGRGeometryH a0) {
    p_OGR_G_FlattenTo2D(a0);
}
OGRGeometryH OGR_G_ForceToMultiPolygon(OGRGeometryH a0) {
    return p_OGR_G_ForceToMultiPolygon(a0);
}
OGRGeometryH OGR_G_GetLinearGeometry(OGRGeometryH a0, double a1, char **a2) {
    return p_OGR_G_GetLinearGeometry(a0, a1, a2);
}
int OGR_G_HasCurveGeometry(OGRGeometryH a0, int a1) {
    return p_OGR_G_HasCurveGeometry(a0, a1);
}
int OGR_G_IsEmpty(OGRGeometryH a0) {
    return p_OGR_G_IsEmpty(a0);
}
int OGR_G_WkbSize(OGRGeometryH a0) {
    return p_OGR_G_WkbSize(a0);
}
OGRErr OGR_L_CreateFeature(OGRLayerH a0, OGRFeatureH a1) {
    return p_OGR_L_CreateFeature(a0, a1);
}
OGRErr OGR_L_CreateField(OGRLayerH a0, OGRFieldDefnH a1, int a2) {
    return p_OGR_L_CreateField(a0, a1, a2);
}
OGRFeatureDefnH OGR_L_GetLayerDefn(OGRLayerH a0) {
    return p_OGR_L_GetLayerDefn(a0);
}
const char *OGR_L_GetName(OGRLayerH a0) {
    return p_OGR_L_GetName(a0);
}
OGRFeatureH OGR_L_GetNextFeature(OGRLayerH a0) {
    return p_OGR_L_GetNextFeature(a0);
}
OGRSpatialReferenceH OGR_L_GetSpatialRef(OGRLayerH a0) {
    return p_OGR_L_GetSpatialRef(a0);
}
void OGR_L_ResetReading(OGRLayerH a0) {
    p_OGR_L_ResetReading(a0);
}
OGRErr OSRAutoIdentifyEPSG(OGRSpatialReferenceH a0) {
    return p_OSRAutoIdentifyEPSG(a0);
}
OGRErr OSRExportToWkt(OGRSpatialReferenceH a0, char **a1) {
    return p_OSRExportToWkt(a0, a1);
}
const char *OSRGetAuthorityCode(OGRSpatialReferenceH a0, const char *a1) {
    return p_OSRGetAuthorityCode(a0, a1);
}
const char *OSRGetAuthorityName(OGRSpatialReferenceH a0, const char *a1) {
    return p_OSRGetAuthorityName(a0, a1);
}
const char *OSRGetName(OGRSpatialReferenceH a0) {
    return p_OSRGetName(a0);
}
OGRSpatialReferenceH OSRNewSpatialReference(const char *a0) {
    return p_OSRNewSpatialReference(a0);
}
void OSRRelease(OGRSpatialReferenceH a0) {
    p_OSRRelease(a0);
}
void OSRSetAxisMappingStrategy(OGRSpatialReferenceH a0, OSRAxisMappingStrategy a1) {
    p_OSRSetAxisMappingStrategy(a0, a1);
}
OGRErr OSRSetFromUserInput(OGRSpatialReferenceH a0, const char *a1) {
    return p_OSRSetFromUserInput(a0, a1);
}
void VSIFree(void *a0) {
    p_VSIFree(a0);
}
