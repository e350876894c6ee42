dofile(os.getenv("WRK_DIR") .. "/common.lua")
request = function() return wrk.format("GET", "/api/auth/me", headers) end
