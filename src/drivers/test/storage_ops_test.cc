// The test driver's pools and volumes, against what libvirt 9.0's test
// driver answers (observed with python3-libvirt on test:///default).
#include <gtest/gtest.h>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

constexpr char kDirPool[] =
    "<pool type='dir'><name>p2</name><uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5000</uuid>"
    "<target><path>/p2</path></target></pool>";

TEST(TestStorage, DefaultHostHasTheDefaultPool) {
  auto conn = Open();
  ASSERT_TRUE(conn);
  EXPECT_EQ(*conn->ListStoragePoolNames(true), std::vector<std::string>{"default-pool"});
  StoragePoolRef p = *conn->LookupStoragePoolByName("default-pool");
  EXPECT_EQ(p.uuid.ToString(), "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
  StoragePoolInfo info = *conn->GetStoragePoolInfo(p);
  EXPECT_EQ(info.state, VIR_STORAGE_POOL_RUNNING);
  EXPECT_EQ(info.capacity, 107374182400u);
  EXPECT_EQ(info.allocation, 0u);
  EXPECT_EQ(info.available, 107374182400u);
  EXPECT_EQ(*conn->StoragePoolXML(p, 0),
            "<pool type='dir'>\n"
            "  <name>default-pool</name>\n"
            "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n"
            "  <capacity unit='bytes'>107374182400</capacity>\n"
            "  <allocation unit='bytes'>0</allocation>\n"
            "  <available unit='bytes'>107374182400</available>\n"
            "  <source>\n"
            "  </source>\n"
            "  <target>\n"
            "    <path>/default-pool</path>\n"
            "  </target>\n"
            "</pool>\n");
  EXPECT_TRUE(conn->ListStorageVolNames(p)->empty());
  EXPECT_TRUE(*conn->StoragePoolIsPersistent(p));
  EXPECT_FALSE(*conn->StoragePoolAutostart(p));
}

TEST(TestStorage, VolumesTakeTheirAllocationFromThePool) {
  auto conn = Open();
  StoragePoolRef p = *conn->LookupStoragePoolByName("default-pool");
  Result<StorageVolRef> v =
      conn->CreateStorageVolXML(p, "<volume><name>new</name><capacity unit='G'>1</capacity></volume>", 0);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->key, "/default-pool/new");
  StorageVolInfo vi = *conn->GetStorageVolInfo(*v);
  EXPECT_EQ(vi.capacity, 1073741824u);
  EXPECT_EQ(vi.allocation, 1073741824u);
  StoragePoolInfo pi = *conn->GetStoragePoolInfo(p);
  EXPECT_EQ(pi.allocation, 1073741824u);
  EXPECT_EQ(pi.available, 107374182400u - 1073741824u);
  EXPECT_EQ(*conn->StorageVolPath(*v), "/default-pool/new");
  EXPECT_EQ(conn->LookupStorageVolByPath("/default-pool/new")->name, "new");
  EXPECT_EQ(conn->LookupStorageVolByKey("/default-pool/new")->name, "new");
  EXPECT_EQ(conn->LookupStoragePoolByVolume(*v)->name, "default-pool");
  EXPECT_TRUE(HasError(conn->CreateStorageVolXML(p, "<volume><name>new</name><capacity>1</capacity></volume>", 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_TEST, "storage vol already exists"));
  EXPECT_TRUE(HasError(conn->CreateStorageVolXML(p, "<volume><name>huge</name><capacity unit='T'>1</capacity></volume>", 0).status(),
                       VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "Not enough free space in pool for volume 'huge'"));
  Result<StorageVolRef> clone = conn->CreateStorageVolXMLFrom(
      p, "<volume><name>clone</name><capacity>1</capacity></volume>", *v, 0);
  ASSERT_TRUE(clone.ok());
  ASSERT_TRUE(conn->DeleteStorageVol(*v, 0).ok());
  EXPECT_EQ(conn->GetStoragePoolInfo(p)->allocation, 1u);
  EXPECT_TRUE(HasError(conn->LookupStorageVolByName(p, "new").status(), VIR_ERR_NO_STORAGE_VOL,
                       VIR_FROM_TEST, "no storage vol with matching name 'new'"));
  // What libvirt's test driver lacks, ours lacks too.
  EXPECT_EQ(conn->ResizeStorageVol(*clone, 10, 0).code(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(conn->WipeStorageVol(*clone, 0, 0).code(), VIR_ERR_NO_SUPPORT);
}

TEST(TestStorage, LifecycleRulesAreLibvirts) {
  auto conn = Open();
  StoragePoolRef p = *conn->LookupStoragePoolByName("default-pool");
  for (Status st : {conn->StartStoragePool(p, 0), conn->UndefineStoragePool(p),
                    conn->BuildStoragePool(p, 0), conn->DeleteStoragePool(p, 0)})
    EXPECT_TRUE(HasError(st, VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                         "storage pool 'default-pool' is active"));
  EXPECT_TRUE(conn->RefreshStoragePool(p, 0).ok());
  ASSERT_TRUE(conn->DestroyStoragePool(p).ok());
  EXPECT_TRUE(HasError(conn->ListStorageVolNames(p).status(), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_TEST, "storage pool 'default-pool' is not active"));
  EXPECT_TRUE(HasError(conn->DestroyStoragePool(p), VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                       "is not active"));
  EXPECT_TRUE(conn->BuildStoragePool(p, 0).ok());
  EXPECT_TRUE(conn->DeleteStoragePool(p, 0).ok());
  EXPECT_EQ(conn->GetStoragePoolInfo(p)->state, VIR_STORAGE_POOL_INACTIVE);
  ASSERT_TRUE(conn->UndefineStoragePool(p).ok());
  EXPECT_TRUE(HasError(conn->LookupStoragePoolByName("default-pool").status(),
                       VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                       "no storage pool with matching name 'default-pool'"));
}

TEST(TestStorage, DuplicatesAreRefusedAsLibvirt) {
  auto conn = Open();
  EXPECT_TRUE(HasError(conn->DefineStoragePoolXML(
                               "<pool type='dir'><name>default-pool</name><target><path>/x</path>"
                               "</target></pool>", 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE,
                       "pool 'default-pool' already exists with uuid "
                       "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"));
  EXPECT_TRUE(HasError(conn->DefineStoragePoolXML(
                               "<pool type='dir'><name>x</name><target><path>/default-pool/</path>"
                               "</target></pool>", 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE,
                       "Storage source conflict with pool: 'default-pool'"));
  Result<StoragePoolRef> p2 = conn->DefineStoragePoolXML(kDirPool, 0);
  ASSERT_TRUE(p2.ok());
  EXPECT_FALSE(*conn->StoragePoolIsActive(*p2));
  EXPECT_EQ(*conn->ListStoragePoolNames(false), std::vector<std::string>{"p2"});
  EXPECT_EQ(conn->ListAllStoragePools(VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE)->size(), 1u);
  EXPECT_EQ(conn->ListAllStoragePools(VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL)->size(), 0u);
  EXPECT_EQ(conn->ListAllStoragePools(VIR_CONNECT_LIST_STORAGE_POOLS_DIR)->size(), 2u);
}

TEST(TestStorage, TransientPoolsVanishWhenDestroyed) {
  auto conn = Open();
  Result<StoragePoolRef> p = conn->CreateStoragePoolXML(kDirPool, 0);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(*conn->StoragePoolIsPersistent(*p));
  EXPECT_TRUE(*conn->StoragePoolIsActive(*p));
  ASSERT_TRUE(conn->DestroyStoragePool(*p).ok());
  EXPECT_EQ(conn->LookupStoragePoolByName("p2").status().code(), VIR_ERR_NO_STORAGE_POOL);
}

TEST(TestStorage, NodeFileInlineVolumesAreLoaded) {
  auto conn = Open("test://" + kFixtures + "/testnode.xml");
  ASSERT_TRUE(conn);
  StoragePoolRef p = *conn->LookupStoragePoolByName("default-pool");
  EXPECT_EQ(p.uuid.ToString(), "35bb2ad9-388a-cdfe-461a-b8907f6e53fe");
  // libvirt 9.0 also lists none here: the pool comes from a file.
  EXPECT_TRUE(conn->ListStorageVolNames(p)->empty());
}

}  // namespace
}  // namespace virt::testdrv
