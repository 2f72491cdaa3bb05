-- A handler reaching for what the Wraith sandbox does not have.
local util = wraith.import("util")
local missing = wraith.import("nope")
local started = os.time()
local mt = setmetatable({}, { __index = function() return 1 end })
io.write("hello")
local f = load("return 1")
emit.status(201)
emit.json({ at = util.stamp(), started = started, mt = mt, f = f, missing = missing })
