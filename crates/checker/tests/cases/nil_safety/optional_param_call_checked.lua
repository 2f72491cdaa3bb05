-- Checked first: fine.
local function run(cb: (() -> ())?)
    if cb then
        cb()
    end
end
run(nil)
