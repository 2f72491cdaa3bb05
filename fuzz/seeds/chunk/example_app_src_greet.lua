local json = require("json")

-- Greets a person; returns a table and its JSON form.
local function main(name: string?, excited: boolean?): ({[string]: any}, string)
    local who = name or "world"
    local text = "Hello, " .. who
    if excited then
        text = text .. "!"
    end
    local result = { greeting = text, length = #text }
    local encoded, err = json.encode(result)
    if err then
        error(err)
    end
    return result, encoded
end

return { main = main }
