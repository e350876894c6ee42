dofile(os.getenv("WRK_DIR") .. "/common.lua")
local p = os.getenv("WRK_PATH")
request = function() return wrk.format("GET", p, headers) end
