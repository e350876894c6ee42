dofile(os.getenv("WRK_DIR") .. "/common.lua")
request = function() return wrk.format("GET", "/api/chat/channels", headers) end
