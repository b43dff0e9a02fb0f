// The qcow2 images the driver writes itself are qemu-img's, byte for byte.
#include "drivers/storage/storage_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace virt::storage {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Qcow2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("qemu-img --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no qemu-img";
    char tmpl[] = "/tmp/vkqcow2-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // Ours and qemu-img's image of the same request.
  void Compare(uint64_t size, const std::string& compat, bool lazy) {
    std::string ours = dir_ + "/ours.qcow2", theirs = dir_ + "/theirs.qcow2";
    std::filesystem::remove(ours);
    std::filesystem::remove(theirs);
    bool handled = false;
    ASSERT_TRUE(CreateQcow2(ours, size, compat, lazy, 0600, &handled).ok());
    ASSERT_TRUE(handled);
    std::string opts;
    if (!compat.empty()) opts += "compat=" + compat;
    if (lazy) opts += std::string(opts.empty() ? "" : ",") + "lazy_refcounts=on";
    std::string cmd = "qemu-img create -q -f qcow2 " + (opts.empty() ? "" : "-o " + opts + " ") +
                      theirs + " " + std::to_string((size + 1023) / 1024) + "K";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    EXPECT_EQ(Slurp(ours), Slurp(theirs)) << "size " << size << " compat " << compat;
    EXPECT_EQ(std::system(("qemu-img check -q " + ours).c_str()), 0);
    Result<ProbedFile> probe = ProbeFile(ours);
    ASSERT_TRUE(probe.ok());
    EXPECT_EQ(probe->format, "qcow2");
    EXPECT_EQ(probe->capacity, (size + 1023) / 1024 * 1024);
  }
  std::string dir_;
};

TEST_F(Qcow2Test, SmallImagesAreQemuImgs) { Compare(1 << 20, "", false); }
TEST_F(Qcow2Test, OddSizesRoundUpToAKiB) { Compare(1000001, "1.1", false); }
TEST_F(Qcow2Test, LargeImagesHaveTheirL1Table) { Compare(700ULL << 30, "", false); }
TEST_F(Qcow2Test, LazyRefcountsSetTheCompatibleBit) { Compare(10 << 20, "1.1", true); }
TEST_F(Qcow2Test, Compat010IsVersion2) { Compare(10 << 20, "0.10", false); }

TEST_F(Qcow2Test, HugeImagesAreLeftToQemuImg) {
  bool handled = true;
  ASSERT_TRUE(CreateQcow2(dir_ + "/huge.qcow2", 5ULL << 40, "", false, 0600, &handled).ok());
  EXPECT_FALSE(handled);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/huge.qcow2"));
}

}  // namespace
}  // namespace virt::storage
