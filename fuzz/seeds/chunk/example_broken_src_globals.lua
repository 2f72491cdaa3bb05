-- Uses the global defined by the imported library (fine) and one nobody defines (error).
local helpers = require("helpers")

local function run()
    check_that(helpers.double(2) == 4, "doubling")
    check_thta(true)
    return helpers.tripel(3)
end

return { run = run }
