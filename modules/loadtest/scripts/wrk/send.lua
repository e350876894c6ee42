dofile(os.getenv("WRK_DIR") .. "/common.lua")
-- Sends go to their own channel so that the history scenario's channel keeps exactly its 1,000 messages.
local send_channel = os.getenv("WRK_SEND_CHANNEL")
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/chat/channels/" .. send_channel .. "/messages/send", headers,
    '{"content":"wrk message ' .. n .. '"}')
end
