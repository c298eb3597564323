# Copyright (c) mmxkd contributors. All rights reserved.
