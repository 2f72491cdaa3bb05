local helpers = require("helpers")

local function main()
    return helpers.double(21)
end

return { main = main }
