#include "dangan/scanner/page_image.h"

#include <gtest/gtest.h>

#include "test_images.h"

namespace dangan::scanner {
namespace {

TEST(PageImage, JpegSizeAndResolution) {
    auto info = inspectImage(testing::jpegPage({.width = 620, .height = 877, .dpi = 75}), {});
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->mediaType, "image/jpeg");
    ASSERT_EQ(info->frames.size(), 1u);
    EXPECT_EQ(info->frames[0].width, 620);
    EXPECT_EQ(info->frames[0].height, 877);
    EXPECT_EQ(info->frames[0].dpi, 75);
}

TEST(PageImage, PngAndMultiPageTiff) {
    auto png = inspectImage(testing::pngPage({.width = 300, .height = 400, .dpi = 200}), {});
    ASSERT_TRUE(png);
    EXPECT_EQ(png->mediaType, "image/png");
    auto tiff = inspectImage(testing::tiffPages({{.width = 300, .height = 400, .dpi = 300, .seed = 1},
                                                 {.width = 400, .height = 300, .dpi = 300, .seed = 2},
                                                 {.width = 300, .height = 400, .dpi = 300, .seed = 3}},
                                                true),
                             {});
    ASSERT_TRUE(tiff) << tiff.error().message;
    EXPECT_EQ(tiff->mediaType, "image/tiff");
    ASSERT_EQ(tiff->frames.size(), 3u);
    EXPECT_EQ(tiff->frames[1].width, 400);
    EXPECT_EQ(tiff->frames[2].dpi, 300);
}

TEST(PageImage, TruncatedJpegIsUnreadable) {
    auto bytes = testing::jpegPage({.width = 600, .height = 800});
    auto info = inspectImage(bytes.substr(0, bytes.size() / 2), {});
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().problem, ImageProblem::Unreadable);
}

TEST(PageImage, TextIsNotAnImage) {
    auto info = inspectImage("this is a text file, not a scan", {});
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().problem, ImageProblem::UnsupportedFormat);
}

TEST(PageImage, HugeDimensionsAreRefusedBeforeDecoding) {
    auto info = inspectImage(testing::pngPage({.width = 2000, .height = 40, .dpi = 300}), {.maxSide = 1000});
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().problem, ImageProblem::TooLarge);
    EXPECT_NE(info.error().message.find("2000x40"), std::string::npos);
}

TEST(PageImage, RenderJpegFitsTheLongerSide) {
    auto tiff = testing::tiffPages({{.width = 300, .height = 400, .seed = 1}, {.width = 800, .height = 400, .seed = 2}}, true);
    auto jpeg = renderJpeg(tiff, 1, 200, 75);
    ASSERT_TRUE(jpeg) << jpeg.error().message;
    auto info = inspectImage(*jpeg, {});
    ASSERT_TRUE(info);
    EXPECT_EQ(info->mediaType, "image/jpeg");
    EXPECT_EQ(info->frames[0].width, 200);
    EXPECT_EQ(info->frames[0].height, 100);
    EXPECT_FALSE(renderJpeg(tiff, 5, 200, 75));  // no such frame
}

}  // namespace
}  // namespace dangan::scanner
