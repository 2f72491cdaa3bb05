local s = "abc
local t = [[never
