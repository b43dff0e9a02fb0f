// The storage entry points through the public C API on test:///default:
// libvirt's argument checks and codes, handle life, and the calls.
#include <gtest/gtest.h>

#include <libvirt/libvirt.h>

#include <cstdlib>
#include <string>

namespace {

void Quiet(void*, virErrorPtr) {}

class StorageApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virSetErrorFunc(nullptr, Quiet);
    conn_ = virConnectOpen("test:///default");
    ASSERT_NE(conn_, nullptr);
  }
  void TearDown() override {
    if (conn_) virConnectClose(conn_);
    virSetErrorFunc(nullptr, nullptr);
  }
  virConnectPtr conn_ = nullptr;
};

TEST_F(StorageApiTest, DefaultPoolIsThereAndRunning) {
  virStoragePoolPtr pool = virStoragePoolLookupByName(conn_, "default-pool");
  ASSERT_NE(pool, nullptr);
  virStoragePoolInfo info;
  ASSERT_EQ(virStoragePoolGetInfo(pool, &info), 0);
  EXPECT_EQ(info.state, VIR_STORAGE_POOL_RUNNING);
  EXPECT_EQ(info.capacity, 107374182400ULL);
  char uuid[VIR_UUID_STRING_BUFLEN];
  ASSERT_EQ(virStoragePoolGetUUIDString(pool, uuid), 0);
  EXPECT_STREQ(uuid, "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
  EXPECT_EQ(virStoragePoolIsActive(pool), 1);
  EXPECT_EQ(virStoragePoolGetConnect(pool), conn_);
  virStoragePoolFree(pool);
}

TEST_F(StorageApiTest, ArgumentsAreCheckedAsLibvirtDoes) {
  EXPECT_EQ(virStoragePoolLookupByName(conn_, nullptr), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(), "name in virStoragePoolLookupByName must not be NULL");
  EXPECT_EQ(virConnectNumOfStoragePools(nullptr), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_CONN);
  char garbage[256] = {};
  EXPECT_EQ(virStoragePoolRefresh(reinterpret_cast<virStoragePoolPtr>(garbage), 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_STORAGE_POOL);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_STORAGE);
  EXPECT_EQ(virStorageVolGetKey(reinterpret_cast<virStorageVolPtr>(garbage)), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_STORAGE_VOL);
  virStoragePoolPtr pool = virStoragePoolLookupByName(conn_, "default-pool");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(virStoragePoolListVolumes(pool, nullptr, 1), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virStorageVolCreateXML(pool, nullptr, 0), nullptr);
  EXPECT_STREQ(virGetLastErrorMessage(), "xmlDesc in virStorageVolCreateXML must not be NULL");
  virStorageVolPtr vol = virStorageVolCreateXML(
      pool, "<volume><name>v</name><capacity>1024</capacity></volume>", 0);
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(virStorageVolResize(vol, 0, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "invalid argument: capacity in virStorageVolResize cannot be zero without "
               "'shrink' flag");
  virStorageVolFree(vol);
  virStoragePoolFree(pool);
}

TEST_F(StorageApiTest, ReadOnlyConnectionsCannotChangePools) {
  virConnectPtr ro = virConnectOpenReadOnly("test:///default");
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(virStoragePoolDefineXML(
                ro, "<pool type='dir'><name>x</name><target><path>/x</path></target></pool>", 0),
            nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "operation forbidden: read only access prevents virStoragePoolDefineXML");
  virConnectClose(ro);
}

TEST_F(StorageApiTest, VolumeHandlesKeepTheirConnection) {
  virStoragePoolPtr pool = virStoragePoolLookupByName(conn_, "default-pool");
  ASSERT_NE(pool, nullptr);
  virStorageVolPtr vol = virStorageVolCreateXML(
      pool, "<volume><name>keep.img</name><capacity unit='M'>1</capacity></volume>", 0);
  ASSERT_NE(vol, nullptr);
  EXPECT_STREQ(virStorageVolGetKey(vol), "/default-pool/keep.img");
  // The connection lives while a handle holds it.
  EXPECT_EQ(virConnectClose(conn_), 1);  // 1: references remain
  conn_ = nullptr;
  virStorageVolInfo info;
  ASSERT_EQ(virStorageVolGetInfo(vol, &info), 0);
  EXPECT_EQ(info.capacity, 1048576ULL);
  char* path = virStorageVolGetPath(vol);
  ASSERT_NE(path, nullptr);
  EXPECT_STREQ(path, "/default-pool/keep.img");
  std::free(path);
  virStorageVolPtr* vols = nullptr;
  ASSERT_EQ(virStoragePoolListAllVolumes(pool, &vols, 0), 1);
  EXPECT_STREQ(virStorageVolGetName(vols[0]), "keep.img");
  virStoragePoolPtr owner = virStoragePoolLookupByVolume(vols[0]);
  ASSERT_NE(owner, nullptr);
  EXPECT_STREQ(virStoragePoolGetName(owner), "default-pool");
  virStoragePoolFree(owner);
  virStorageVolFree(vols[0]);
  std::free(vols);
  EXPECT_EQ(virStorageVolDelete(vol, 0), 0);
  virStorageVolFree(vol);
  virStoragePoolFree(pool);
}

}  // namespace
