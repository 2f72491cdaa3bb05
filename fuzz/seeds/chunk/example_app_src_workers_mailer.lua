-- A process that receives "send" messages and logs them until told to stop.
local logger = require("logger")
local time = require("time")
local json = require("json")

local function run(options)
    local inbox = process.inbox()
    local sent = 0
    local limit = (options and options.limit) or 100
    while sent < limit do
        local msg = inbox:receive()
        if not msg then
            break
        end
        local topic = msg:topic()
        if topic == "stop" then
            break
        end
        local encoded = json.encode(msg:payload():data())
        logger:info("mail queued", { topic = topic, payload = encoded, at = time.now():format_rfc3339() })
        sent = sent + 1
    end
    return { sent = sent }
end

return { run = run }
