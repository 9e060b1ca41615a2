-- wrk: what counter staff type: two-character names, partial addresses, phone and account
-- fragments.
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local queries = {
  "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "周杰", "吴艳", "徐强",
  "文三路", "西湖区 文三路", "江南大道", "杭州市 解放路 12", "莫干山路", "宁波市 鄞州区",
  "张明华", "科技有限公司", "印染", "3300012", "33004567", "3300999", "1381", "0571",
  "中山路 88号", "萧", "郭建国", "杭州 电子", "林红", "人民路",
}

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  math.randomseed(os.time())
end

function request()
  local q = queries[math.random(1, #queries)]
  return wrk.format("GET", "/api/search?q=" .. encode(q), headers)
end
